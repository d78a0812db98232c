export type BehaviorFamily = 'native' | 'javascript' | 'other';

const NATIVE_PLATFORMS = new Set(['objc', 'cocoa', 'swift', 'native', 'c']);
const JAVASCRIPT_PLATFORMS = new Set(['javascript', 'node']);

/** Sentry's `get_behavior_family_for_platform`. */
export function getBehaviorFamily(platform: string | undefined): BehaviorFamily {
  if (platform !== undefined && NATIVE_PLATFORMS.has(platform)) {
    return 'native';
  }

  return platform !== undefined && JAVASCRIPT_PLATFORMS.has(platform) ? 'javascript' : 'other';
}

/** Operators whose names contain brackets that must not be read as argument lists. */
const OPERATOR_PATTERN =
  /operator(?:\(\)|\[\]|<<=?|>>=?|<=?|>=?|->\*?|[-+*/%^&|~!=,]=?|\s+new(?:\[\])?|\s+delete(?:\[\])?)$/;

/**
 * Trims a native (C, C++, Objective-C, Rust) function name for grouping, like Sentry's
 * `trim_function_name`: drops argument lists, return types and trailing qualifiers, and turns
 * compiler-named lambdas (`<lambda_1a2b>`) into `<lambda>`. Other platforms keep the name.
 *
 * Sentry's trimmer also strips template arguments in some positions and handles more
 * Objective-C and Swift forms than this one.
 */
export function trimFunctionName(name: string, platform: string | undefined): string {
  if (getBehaviorFamily(platform) !== 'native' || name === '<redacted>' || name === '<unknown>') {
    return name;
  }

  if (/^[-+]\[.*\]$/.test(name)) {
    return name;
  }

  let trimmed = name.replace(/<lambda_[0-9a-fA-F]+>/g, '<lambda>').trim();
  trimmed = trimmed.replace(/\s+(?:const|volatile|&&?|noexcept)\s*$/, '');
  trimmed = stripTrailingArguments(trimmed);
  trimmed = stripReturnType(trimmed);

  return trimmed === '' ? name : trimmed;
}

function stripTrailingArguments(name: string): string {
  if (!name.endsWith(')') || OPERATOR_PATTERN.test(name)) {
    return name;
  }

  let depth = 0;

  for (let index = name.length - 1; index >= 0; index--) {
    const char = name[index];

    if (char === ')') {
      depth++;
    } else if (char === '(') {
      depth--;

      if (depth === 0) {
        return name.slice(0, index).trimEnd();
      }
    }
  }

  return name;
}

/** Drops a leading return type such as `void ` or `std::string `, outside template brackets. */
function stripReturnType(name: string): string {
  let depth = 0;

  for (let index = name.length - 1; index >= 0; index--) {
    const char = name[index];

    if (char === '>' || char === ')') {
      depth++;
    } else if (char === '<' || char === '(') {
      depth--;
    } else if (char === ' ' && depth === 0 && !name.slice(0, index).endsWith('operator')) {
      return name.slice(index + 1);
    }
  }

  return name;
}
