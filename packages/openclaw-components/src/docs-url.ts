/**
 * Where the docs live for someone who has only the npm package: the tarball
 * ships no `docs/`, so every reference in shipped text is a repository URL.
 */
export const DOCS_BASE_URL = "https://github.com/openclaw/infra-components/blob/main/docs";

/** The URL of a page of the docs, optionally at a heading's anchor. */
export function docsUrl(page: string, anchor?: string): string {
  return `${DOCS_BASE_URL}/${page}${anchor ? `#${anchor}` : ""}`;
}
