import type { ArtifactBundleFile } from '../../../shared/api/sourcemaps';
import type { ArtifactPage } from './query-options';

/** A file count for a heading, as "12" or "25+" when more pages were not counted. */
export interface ArtifactCount {
  text: string;
  isOne: boolean;
}

/**
 * Reads the files of an artifact bundle from the API response. Sentry's endpoint returns an
 * object with the bundle's `files`, and a plain array is accepted too. Entries without a string
 * `filePath` are dropped.
 */
export function readBundleFiles(body: unknown): ArtifactBundleFile[] {
  const list: unknown = Array.isArray(body) ? body : (body as { files?: unknown } | null)?.files;
  if (!Array.isArray(list)) {
    return [];
  }

  return list.flatMap((entry: unknown): ArtifactBundleFile[] => {
    if (typeof entry !== 'object' || entry === null) {
      return [];
    }

    const file = entry as Record<string, unknown>;
    if (typeof file.filePath !== 'string') {
      return [];
    }

    return [
      {
        id: typeof file.id === 'string' ? file.id : file.filePath,
        filePath: file.filePath,
        fileSize: typeof file.fileSize === 'number' ? file.fileSize : -1,
        fileType: readFileType(file.fileType),
        debugId: typeof file.debugId === 'string' ? file.debugId : null,
        sourcemap: typeof file.sourcemap === 'string' ? file.sourcemap : null,
      },
    ];
  });
}

/** Reads a file type: Sentry sends a number, which `formatFileType` names, and Picket may send a name. */
function readFileType(value: unknown): string {
  if (typeof value === 'number') {
    return String(value);
  }

  return typeof value === 'string' ? value : '';
}

/**
 * Returns the source map reference of a release file from its `Sourcemap` or `X-SourceMap`
 * header, whatever the case of the header name, or null when it has none.
 */
export function readSourceMapHeader(
  headers: Record<string, string> | null | undefined,
): string | null {
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lowerName = name.toLowerCase();
    if ((lowerName === 'sourcemap' || lowerName === 'x-sourcemap') && typeof value === 'string') {
      return value;
    }
  }

  return null;
}

/**
 * Counts the files of a release: those of its bundles plus its release files. The release file
 * total comes from `X-Hits` when the server sends it, else from the first page, and then a
 * further page makes the count a lower bound ("25+"). Returns null while the release files load.
 */
export function countArtifactFiles(input: {
  bundleFileCounts: readonly number[];
  releaseFiles: ArtifactPage<unknown> | null;
}): ArtifactCount | null {
  if (input.releaseFiles === null) {
    return null;
  }

  const bundleFiles = input.bundleFileCounts.reduce((sum, count) => sum + count, 0);
  const { items, total, pageLinks } = input.releaseFiles;
  const count = bundleFiles + (total ?? items.length);
  const isLowerBound = total === null && pageLinks.next?.hasResults === true;

  return { text: isLowerBound ? `${count}+` : String(count), isOne: count === 1 && !isLowerBound };
}
