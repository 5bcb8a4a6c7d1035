/** A labelled CSV that cannot be read; the message names the physical line (1-based, header is line 1). */
export class CsvError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
    this.name = 'CsvError';
  }
}

/** Model bytes that are not a Candor reason model this version can read. */
export class ModelFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFormatError';
  }
}
