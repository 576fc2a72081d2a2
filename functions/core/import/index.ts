export type { CsvRecord } from './csv.ts';
export { protectCell, readCsv, unprotectCell } from './csv.ts';
export type { ImportFormat } from './formats.ts';
export { detectFormat, headerKey, IMPORT_FORMATS } from './formats.ts';
export type { PlanImportOptions } from './plan-import.ts';
export { ATTRIBUTE_COLUMN_PREFIX, GENERIC_COLUMNS, importDate, planImport } from './plan-import.ts';
export type { ImportMembership, ImportPlan, ImportProblem, ImportRow } from './types.ts';
