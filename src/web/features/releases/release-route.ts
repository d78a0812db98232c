/**
 * Reading the release version from the release page's URL. React Router (7.18.7) decodes a segment
 * and then turns every `%2F` left in the parameter into `/`, so the version `a%2Fb`, linked as
 * `a%252Fb`, reaches `useParams` as `a/b`. The page therefore decodes the raw segment itself, once.
 */

const RELEASE_SEGMENT = /\/releases\/([^/]+)\/?$/;

/**
 * Returns the release version in a release page's pathname, as encoded by `releasePath`, decoded
 * exactly once. A segment that is not valid percent-encoding is returned as it is, and a pathname
 * without a `/releases/{version}/` ending returns null.
 */
export function readReleaseVersion(pathname: string): string | null {
  const segment = RELEASE_SEGMENT.exec(pathname)?.[1];
  if (segment === undefined) {
    return null;
  }

  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
