/** Rejection of a bundle. `message` gives the reason and is sent to the client as `detail`. */
export class BundleError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BundleError';
  }
}
