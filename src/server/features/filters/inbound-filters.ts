import type { FilterReason } from '../../../shared/api/filters.js';
import { isCausedByBrowserExtension } from './browser-extensions.js';
import { findHeader, readFilterableEvent, type FilterableEvent } from './filterable-event.js';
import { GlobList, MatchBudget } from './glob-pattern.js';
import { isHealthCheckTransaction } from './health-check.js';
import {
  networkContains,
  parseIpAddress,
  parseIpNetwork,
  type IpNetwork,
} from '../../platform/net/ip-network.js';
import { isLegacyBrowser, type LegacyBrowserOption } from './legacy-browsers.js';
import { isFromLocalhost } from './localhost.js';
import { isWebCrawler } from './web-crawlers.js';

/** A project's filters, compiled for matching. */
export interface InboundFilterConfig {
  browserExtensions: boolean;
  localhost: boolean;
  webCrawlers: boolean;
  healthChecks: boolean;
  /** Legacy-browser options; empty when the filter is off. */
  legacyBrowsers: readonly LegacyBrowserOption[];
  blockedNetworks: readonly IpNetwork[];
  releases: GlobList;
  errorMessages: GlobList;
}

/** The settings a filter config is compiled from; list entries are kept as the user wrote them. */
export interface InboundFilterInput {
  browserExtensions: boolean;
  localhost: boolean;
  webCrawlers: boolean;
  healthChecks: boolean;
  legacyBrowsers: readonly LegacyBrowserOption[];
  blacklistedIps: readonly string[];
  releases: readonly string[];
  errorMessages: readonly string[];
}

/** Compiles settings; entries that do not parse are skipped, as Relay skips them. */
export function compileFilterConfig(input: InboundFilterInput): InboundFilterConfig {
  return {
    browserExtensions: input.browserExtensions,
    localhost: input.localhost,
    webCrawlers: input.webCrawlers,
    healthChecks: input.healthChecks,
    legacyBrowsers: input.legacyBrowsers,
    blockedNetworks: input.blacklistedIps
      .map((entry) => parseIpNetwork(entry))
      .filter((network) => network !== undefined),
    releases: new GlobList(input.releases),
    errorMessages: new GlobList(input.errorMessages),
  };
}

function isBlockedIp(config: InboundFilterConfig, clientIp: string | undefined): boolean {
  if (clientIp === undefined || config.blockedNetworks.length === 0) {
    return false;
  }
  const address = parseIpAddress(clientIp);
  return (
    address !== undefined &&
    config.blockedNetworks.some((network) => networkContains(network, address))
  );
}

/** Formats an exception as `Type: value`, or only the part that is set. */
function exceptionMessage({ type, value }: { type: string; value: string }): string {
  if (type === '') {
    return value;
  }
  return value === '' ? type : `${type}: ${value}`;
}

function hasBlockedMessage(
  config: InboundFilterConfig,
  event: FilterableEvent,
  budget: MatchBudget,
): boolean {
  if (config.errorMessages.isEmpty) {
    return false;
  }
  if (event.message !== undefined && config.errorMessages.matches(event.message, budget)) {
    return true;
  }
  return event.exceptions.some(
    (exception) =>
      !budget.isExhausted && config.errorMessages.matches(exceptionMessage(exception), budget),
  );
}

/**
 * Runs the filters in Relay's order and returns the reason of the first that drops the event.
 * The transaction-name filter applies only when `isTransaction` is set. The release and message
 * patterns share one {@link MatchBudget}, which bounds the matching work of the event.
 */
function runFilters(
  event: FilterableEvent,
  config: InboundFilterConfig,
  clientIp: string | undefined,
  isTransaction: boolean,
): FilterReason | undefined {
  if (isBlockedIp(config, clientIp ?? event.userIp)) {
    return 'ip-address';
  }
  const budget = new MatchBudget();
  if (event.release !== undefined && config.releases.matches(event.release, budget)) {
    return 'release-version';
  }
  if (hasBlockedMessage(config, event, budget)) {
    return 'error-message';
  }
  if (config.localhost && isFromLocalhost(event)) {
    return 'localhost';
  }
  if (config.browserExtensions && isCausedByBrowserExtension(event)) {
    return 'browser-extensions';
  }

  const userAgent = findHeader(event, 'User-Agent');
  if (userAgent !== undefined && isLegacyBrowser(userAgent, config.legacyBrowsers)) {
    return 'legacy-browsers';
  }
  if (config.webCrawlers && userAgent !== undefined && isWebCrawler(userAgent)) {
    return 'web-crawlers';
  }

  const isHealthCheck =
    isTransaction &&
    config.healthChecks &&
    event.transaction !== undefined &&
    isHealthCheckTransaction(event.transaction);
  return isHealthCheck ? 'filtered-transaction' : undefined;
}

/**
 * Decides whether an error or message event is dropped by the project's inbound filters, and
 * returns the outcome reason when it is. `clientIp` is the address the envelope came from; the
 * IP filter falls back to `user.ip_address` only when it is unknown.
 */
export function shouldFilterEvent(
  event: unknown,
  config: InboundFilterConfig,
  clientIp: string | undefined,
): FilterReason | undefined {
  const filterable = readFilterableEvent(event);
  return runFilters(filterable, config, clientIp, filterable.type === 'transaction');
}

/**
 * Decides whether a transaction is dropped, with every filter that applies to events plus the
 * health-check filter on the transaction name. The payload may be raw or normalized.
 */
export function shouldFilterTransaction(
  transaction: unknown,
  config: InboundFilterConfig,
  clientIp: string | undefined,
): FilterReason | undefined {
  return runFilters(readFilterableEvent(transaction), config, clientIp, true);
}
