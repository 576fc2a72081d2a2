export { absolute, cutBody, type PreparedBody, prepareBody } from './body.ts';
export {
  cleanLine,
  formatDuration,
  type RenderEditionInput,
  type RenderedEdition,
  renderEdition,
  themeView,
} from './render-edition.ts';
export { fillTemplate, mjmlToHtml, renderMjmlTemplate, TemplateError } from './render-mjml.ts';
export {
  escapeHtml,
  fillSlots,
  greetingFor,
  LITERAL_SLOTS,
  SLOT_NAMES,
  type SlotName,
  type SlotValues,
  STORED_SLOT_RE,
  stripControl,
} from './slots.ts';
export { REQUIRED_PARTIALS, type TemplateSources, type Theme } from './templates.ts';
export { htmlToPlainText } from './text.ts';
