export * from './model';
export { parseNotebook, parseCellInfo } from './parse';
export { printNotebook, normalizeNotebook, UnrepresentableNotebookError } from './print';
