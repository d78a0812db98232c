import type { FilterableEvent } from './filterable-event.js';

/**
 * Exception values that browser extensions, injected toolbars and in-app browsers are known to
 * cause, as Relay's browser-extension filter lists them (case is ignored).
 */
const EXTENSION_VALUE_FRAGMENTS = [
  String.raw`top\.GLOBALS`,
  'originalCreateNotification',
  'canvas.contentDocument',
  'MyApp_RemoveAllHighlights',
  String.raw`http://tt\.epicplay\.com`,
  String.raw`Can't\sfind\svariable:\sZiteReader`,
  String.raw`jigsaw\sis\snot\sdefined`,
  String.raw`ComboSearch\sis\snot\sdefined`,
  String.raw`http://loading\.retry\.widdit\.com/`,
  'atomicFindClose',
  'fb_xd_fragment',
  'bmi_SafeAddOnload',
  'EBCallBackMessageReceived',
  '_gCrWeb',
  'conduitPage',
  String.raw`null\sis\snot\san\sobject\s\(evaluating\s'elt.parentNode'\)`,
  String.raw`plugin\.setSuspendState\sis\snot\sa\sfunction`,
  String.raw`Extension\scontext\sinvalidated`,
  'webkit-masked-url:',
  String.raw`can't\saccess\sdead\sobject`,
];

/** Script locations of extensions and of third-party scripts known to fail in the same way. */
const EXTENSION_SOURCE_FRAGMENTS = [
  String.raw`graph\.facebook\.com`,
  String.raw`connect\.facebook\.net`,
  String.raw`eatdifferent\.com\.woopra-ns\.com`,
  String.raw`static\.woopra\.com/js/woopra\.js`,
  '^chrome(?:-extension)?://',
  '^moz-extension://',
  '^safari(?:-web)?-extension://',
  'webkit-masked-url',
  String.raw`127\.0\.0\.1:4001/isrunning`,
  String.raw`webappstoolbarba\.texthelp\.com/`,
  String.raw`metrics\.itunes\.apple\.com\.edgesuite\.net/`,
  String.raw`kaspersky-labs\.com`,
];

const VALUE_PATTERN = new RegExp(EXTENSION_VALUE_FRAGMENTS.join('|'), 'i');
const SOURCE_PATTERN = new RegExp(EXTENSION_SOURCE_FRAGMENTS.join('|'), 'i');

/** Frame paths that do not tell where the code came from. */
const ANONYMOUS_PATHS = new Set(['<anonymous>', '[native code]']);

/**
 * Finds the script the first exception came from: the innermost frame's `abs_path`, skipping
 * anonymous frames. As in Relay, a frame without `abs_path` ends the search with no result.
 */
function exceptionSource(event: FilterableEvent): string | undefined {
  for (const path of event.firstExceptionPaths) {
    if (path === undefined) {
      return undefined;
    }
    if (!ANONYMOUS_PATHS.has(path)) {
      return path;
    }
  }
  return undefined;
}

/** Checks whether the first exception's value or source points at a browser extension. */
export function isCausedByBrowserExtension(event: FilterableEvent): boolean {
  const value = event.firstExceptionValue;
  if (value !== undefined && VALUE_PATTERN.test(value)) {
    return true;
  }

  const source = exceptionSource(event);
  return source !== undefined && SOURCE_PATTERN.test(source);
}
