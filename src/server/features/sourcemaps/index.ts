export {
  ArtifactBundleRepository,
  type ArtifactBundleRecord,
} from './artifact-bundle-repository.js';
export { deleteUnreferencedBlobs } from './artifact-blobs.js';
export { registerArtifactRoutes } from './artifact-routes.js';
export { ReleaseFileRepository, type ReleaseFileRecord } from './release-file-repository.js';
export * from './source-map.js';
export {
  MAX_STACK_FRAMES,
  parseStackString,
  type ParsedStackFrame,
  type StackParseOptions,
} from './stack-parser.js';
export type { EventToSymbolicate } from './symbolicate.js';
export { registerUploadRoutes, type UploadRoutesOptions } from './upload-routes.js';
