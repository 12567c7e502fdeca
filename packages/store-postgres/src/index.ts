// Public API of @provisio/store-postgres.
export {};
