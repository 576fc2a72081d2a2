export type { CsvRecord } from './csv.ts';
export { protectCell, readCsv, unprotectCell } from './csv.ts';
export { GENERIC_COLUMNS } from './formats/generic.ts';
export { detectFormat, IMPORT_FORMATS } from './formats.ts';
export { planImport } from './plan-import.ts';
export { ATTRIBUTE_COLUMN_PREFIX, headerKey, importDate } from './row-mapping.ts';
export type {
  ImportFormat,
  ImportMembership,
  ImportPlan,
  ImportProblem,
  ImportRow,
  PlanImportOptions,
} from './types.ts';
