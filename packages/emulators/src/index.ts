// Public API of @provisio/emulators: one export line per emulator folder.
export * from './salesforce/index.js';
export * from './google/index.js';
export * from './scim/index.js';
export * from './faults/index.js';
