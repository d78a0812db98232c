import { sql, type Kysely } from 'kysely';

import type { BlobStore } from '../../platform/blobs/index.js';
import type { Database, Dialect } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import type { EventProcessingError, FrameMappingProblem } from '../../../shared/api/sourcemaps.js';
import type {
  EventError,
  ExceptionValue,
  NormalizedEvent,
  StackFrame,
  Stacktrace,
  Thread,
} from '../processing/event-types.js';
import { SYMBOLICATED_PLATFORMS, isArtifactPath } from './frame-paths.js';
import { ArtifactCache } from './symbolicate-cache.js';
import {
  mapFrame,
  locateFrame,
  processingErrorFor,
  type FramePosition,
  withSymbolication,
  SourceTexts,
} from './symbolicate-frames.js';
import {
  moduleKey,
  resolveModules,
  type ModuleRequest,
  type ResolvedModule,
} from './symbolicate-modules.js';
import { findUploadedSources, type SourceRequest } from './symbolicate-sources.js';

/** An exception or thread, which keeps its minified frames as `raw_stacktrace`. */
type Container = (ExceptionValue | Thread) & { raw_stacktrace?: Stacktrace };

/** An event of a batch, with the project it belongs to. */
export interface EventToSymbolicate {
  projectId: number;
  event: NormalizedEvent;
}

/** Dependencies of symbolication: the batch's transaction, its dialect and the blob store. */
export interface SymbolicationContext {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Without a blob store, frames are left as they are and only client data is removed. */
  blobs: BlobStore | undefined;
  log: Logger;
}

/** A stack trace of an event, with the exception or thread that contains it. */
interface PlannedStacktrace {
  /** Undefined for the event's top-level stack trace, which keeps no raw stack trace. */
  container: Container | undefined;
  stacktrace: Stacktrace;
  /**
   * The frames as they arrived, kept as `raw_stacktrace` once a frame is mapped. Symbolication
   * replaces frames in the stack trace with changed copies, so these stay as they were.
   */
  rawFrames: StackFrame[];
  candidates: Candidate[];
}

interface Candidate {
  index: number;
  absPath: string;
  /** The frame's position in its map, once looked up. */
  located?: FramePosition;
  /** Undefined when the frame has no line or column. */
  moduleKey: string | undefined;
}

interface EventPlan {
  event: NormalizedEvent;
  stacktraces: PlannedStacktrace[];
  /** Processing errors, keyed so that each file is reported once per type. */
  errors: Map<string, EventProcessingError>;
}

let sharedCache: { blobs: BlobStore; cache: ArtifactCache } | undefined;

/** Returns the thread's artifact cache for a blob store, replacing it when the store changes. */
function cacheFor(blobs: BlobStore): ArtifactCache {
  if (sharedCache?.blobs !== blobs) {
    sharedCache = { blobs, cache: new ArtifactCache(blobs) };
  }
  return sharedCache.cache;
}

/**
 * Maps the minified JavaScript and Node frames of a batch of events to their original sources,
 * in place, before the events are grouped. Every candidate frame gets `data.symbolication`, the
 * original frames of each mapped stack trace are kept as `raw_stacktrace`, and Sentry's
 * processing errors are added to `errors`. Any `data.symbolication` a client sent is removed
 * first. A failed lookup does not throw: it leaves every candidate frame unmapped with the
 * problem `artifact_unreadable`.
 */
export async function symbolicateEvents(
  events: readonly EventToSymbolicate[],
  context: SymbolicationContext,
): Promise<void> {
  for (const { event } of events) {
    removeClientSymbolication(event);
  }
  if (context.blobs === undefined) {
    return;
  }

  const plans: EventPlan[] = [];
  const requests = new Map<string, ModuleRequest>();
  const started = Date.now();
  const texts = new SourceTexts();
  let modules: Map<string, ResolvedModule>;
  let sources: Map<string, string[]>;
  try {
    for (const { projectId, event } of events) {
      const plan = planEvent(projectId, event, requests);
      if (plan !== undefined) {
        plans.push(plan);
      }
    }
    if (plans.length === 0) {
      return;
    }

    const cache = cacheFor(context.blobs);
    modules = await withSavepoint(context, () =>
      resolveModules(context.db, cache, [...requests.values()], context.log),
    );
    const requested = collectSourceRequests(plans, modules, texts);
    sources = await withSavepoint(context, () =>
      findUploadedSources(context.db, cache, requested, context.log),
    );
  } catch (error) {
    context.log.error({ err: error, events: plans.length }, 'symbolication failed');
    failPlans(plans);
    return;
  }

  applyPlans(plans, modules, texts, sources, context.log);

  context.log.debug(
    { events: plans.length, modules: requests.size, durationMs: Date.now() - started },
    'symbolicated batch',
  );
}

/**
 * Runs the lookups inside a savepoint on PostgreSQL, where a failed statement would otherwise
 * abort the whole batch's transaction.
 */
async function withSavepoint<T>(context: SymbolicationContext, run: () => Promise<T>) {
  if (context.dialect !== 'postgres') {
    return run();
  }

  await sql`SAVEPOINT symbolication`.execute(context.db);
  try {
    const result = await run();
    await sql`RELEASE SAVEPOINT symbolication`.execute(context.db);
    return result;
  } catch (error) {
    await sql`ROLLBACK TO SAVEPOINT symbolication`.execute(context.db);
    throw error;
  }
}

/** Returns every stack trace of an event: of its exceptions, its threads and the top level. */
function stacktracesOf(event: NormalizedEvent) {
  const found: { container: Container | undefined; stacktrace: Stacktrace }[] = [];
  for (const container of [...(event.exception?.values ?? []), ...(event.threads?.values ?? [])]) {
    if (container.stacktrace !== undefined) {
      found.push({ container, stacktrace: container.stacktrace });
    }
  }
  if (event.stacktrace !== undefined) {
    found.push({ container: undefined, stacktrace: event.stacktrace });
  }
  return found;
}

function removeClientSymbolication(event: NormalizedEvent): void {
  for (const { stacktrace } of stacktracesOf(event)) {
    for (const frame of stacktrace.frames) {
      if (frame.data !== undefined && 'symbolication' in frame.data) {
        delete frame.data.symbolication;
      }
    }
  }
}

/** Returns the debug ID of each file that `debug_meta.images` lists as a source map image. */
function sourceMapDebugIds(event: NormalizedEvent): Map<string, string> {
  const debugIds = new Map<string, string>();
  const images = event.debug_meta?.images;
  if (!Array.isArray(images)) {
    return debugIds;
  }

  for (const image of images) {
    if (typeof image !== 'object' || image === null || Array.isArray(image)) {
      continue;
    }
    const { type, code_file: codeFile, debug_id: debugId } = image;
    if (type === 'sourcemap' && typeof codeFile === 'string' && typeof debugId === 'string') {
      debugIds.set(codeFile, normalizeDebugId(debugId));
    }
  }
  return debugIds;
}

/** Lower-cases a debug ID and adds the dashes of a UUID when it has none. */
export function normalizeDebugId(debugId: string): string {
  const id = debugId.trim().toLowerCase();
  if (/^[0-9a-f]{32}$/.test(id)) {
    return [id.slice(0, 8), id.slice(8, 12), id.slice(12, 16), id.slice(16, 20), id.slice(20)].join(
      '-',
    );
  }
  return id;
}

function planEvent(
  projectId: number,
  event: NormalizedEvent,
  requests: Map<string, ModuleRequest>,
): EventPlan | undefined {
  const debugIds = sourceMapDebugIds(event);
  const stacktraces: PlannedStacktrace[] = [];

  for (const { container, stacktrace } of stacktracesOf(event)) {
    const candidates = findCandidates(stacktrace, event.platform, (absPath) => {
      const request: ModuleRequest = {
        projectId,
        absPath,
        debugId: debugIds.get(absPath),
        release: event.release,
        dist: event.dist ?? '',
      };
      const key = moduleKey(request);
      requests.set(key, request);
      return key;
    });
    if (candidates.length > 0) {
      stacktraces.push({
        container,
        stacktrace,
        rawFrames: [...stacktrace.frames],
        candidates,
      });
    }
  }

  return stacktraces.length === 0 ? undefined : { event, stacktraces, errors: new Map() };
}

function findCandidates(
  stacktrace: Stacktrace,
  eventPlatform: string,
  requestModule: (absPath: string) => string,
): Candidate[] {
  const candidates: Candidate[] = [];
  stacktrace.frames.forEach((frame, index) => {
    const platform = frame.platform ?? eventPlatform;
    const absPath = frame.abs_path;
    if (!SYMBOLICATED_PLATFORMS.has(platform) || absPath === undefined) {
      return;
    }
    if (!isArtifactPath(absPath, platform)) {
      return;
    }

    const hasLocation =
      frame.lineno !== undefined && frame.lineno >= 1 && frame.colno !== undefined;
    candidates.push({
      index,
      absPath,
      moduleKey: hasLocation ? requestModule(absPath) : undefined,
    });
  });
  return candidates;
}

/** Key of an original source in the map of uploaded sources. */
function sourceKey(moduleKey: string, sourcePath: string): string {
  return `${moduleKey}\n${sourcePath}`;
}

/** Lists the original sources that mapped frames need but whose map has no text for. */
function collectSourceRequests(
  plans: EventPlan[],
  modules: Map<string, ResolvedModule>,
  texts: SourceTexts,
): SourceRequest[] {
  const requested = new Map<string, SourceRequest>();
  for (const { candidate, stacktrace } of eachCandidate(plans)) {
    const moduleKey = candidate.moduleKey;
    const module = moduleKey === undefined ? undefined : modules.get(moduleKey);
    const frame = stacktrace.frames[candidate.index];
    if (moduleKey === undefined || module?.map === undefined || frame === undefined) {
      continue;
    }
    const located = locateFrame(module, module.map, frame.lineno ?? 0, frame.colno ?? 0);
    candidate.located = located;
    if (located.kind === 'mapped' && texts.get(module.map, located.position.source) === undefined) {
      const sourcePath = located.source.sourcePath;
      const key = sourceKey(moduleKey, sourcePath);
      requested.set(key, {
        key,
        url: sourcePath,
        lookup: module.sourceFiles,
      });
    }
  }
  return [...requested.values()];
}

function* eachCandidate(plans: EventPlan[]) {
  for (const plan of plans) {
    for (const stacktrace of plan.stacktraces) {
      for (const candidate of stacktrace.candidates) {
        yield { plan, stacktrace: stacktrace.stacktrace, candidate };
      }
    }
  }
}

function applyPlans(
  plans: EventPlan[],
  modules: Map<string, ResolvedModule>,
  texts: SourceTexts,
  sources: Map<string, string[]>,
  log: Logger,
): void {
  for (const plan of plans) {
    for (const planned of plan.stacktraces) {
      let mappedCount = 0;
      let callerTokenName: string | undefined;
      let previousIndex = -2;

      for (const candidate of planned.candidates) {
        const caller = previousIndex === candidate.index - 1 ? callerTokenName : undefined;
        const outcome = symbolicateFrame(plan, planned, candidate, caller, modules, texts, sources);
        if (outcome.error !== undefined) {
          log.error({ err: outcome.error, eventId: plan.event.event_id }, 'frame mapping failed');
        }
        callerTokenName = outcome.tokenName;
        previousIndex = outcome.mapped ? candidate.index : -2;
        mappedCount += outcome.mapped ? 1 : 0;
      }

      if (mappedCount > 0 && planned.container !== undefined) {
        planned.container.raw_stacktrace = { frames: planned.rawFrames };
      }
    }
    // The values are JSON built by `processingErrorFor`, and `url` is Sentry's extra field.
    plan.event.errors.push(...[...plan.errors.values()].map((error) => error as EventError));
  }
}

interface FrameOutcome {
  mapped: boolean;
  /** The original name at the frame's position, which names the function it calls. */
  tokenName: string | undefined;
  error?: unknown;
}

function symbolicateFrame(
  plan: EventPlan,
  planned: PlannedStacktrace,
  candidate: Candidate,
  callerTokenName: string | undefined,
  modules: Map<string, ResolvedModule>,
  texts: SourceTexts,
  sources: Map<string, string[]>,
): FrameOutcome {
  const frame = planned.stacktrace.frames[candidate.index];
  const moduleKey = candidate.moduleKey ?? '';
  const module = modules.get(moduleKey);
  if (frame === undefined) {
    return { mapped: false, tokenName: undefined };
  }
  const lineno = frame.lineno ?? 0;
  const colno = frame.colno ?? 0;
  const unmapped = (problems: FrameMappingProblem[], source?: string): FrameOutcome => {
    planned.stacktrace.frames[candidate.index] = withSymbolication(
      frame,
      module,
      'unmapped',
      problems,
    );
    addError(plan, problems[0], module, { absPath: candidate.absPath, lineno, colno, source });
    return { mapped: false, tokenName: undefined };
  };

  if (module === undefined) {
    return unmapped(['missing_location']);
  }
  if (module.map === undefined) {
    if (isPlainNodeFrame(plan.event, module)) {
      return { mapped: false, tokenName: undefined };
    }
    return unmapped(module.problems);
  }

  try {
    const located = candidate.located ?? locateFrame(module, module.map, lineno, colno);
    if (located.kind === 'unmapped') {
      return unmapped([located.problem]);
    }

    const { position, source } = located;
    const sourcePath = source.sourcePath;
    const lines =
      texts.get(module.map, position.source) ?? sources.get(sourceKey(moduleKey, sourcePath));
    const mapped = mapFrame(frame, {
      module,
      map: module.map,
      position,
      source,
      lineno,
      colno,
      callerTokenName,
      lines,
    });

    const problems: FrameMappingProblem[] = lines === undefined ? ['missing_sources_content'] : [];
    planned.stacktrace.frames[candidate.index] = withSymbolication(
      mapped,
      module,
      'mapped',
      problems,
    );
    addError(plan, problems[0], module, {
      absPath: candidate.absPath,
      lineno,
      colno,
      source: sourcePath,
    });
    return { mapped: true, tokenName: position.name ?? undefined };
  } catch (error) {
    return { ...unmapped(['artifact_unreadable']), error };
  }
}

/**
 * Checks whether a Node frame should be left as it came. Node code usually runs unbundled and
 * the SDK sends the source lines, so a frame without a debug ID or an uploaded file for its
 * path gets no problem and no processing error. Other Node frames are reported as browser
 * frames are.
 */
function isPlainNodeFrame(event: NormalizedEvent, module: ResolvedModule): boolean {
  const [first] = module.problems;
  return (
    event.platform === 'node' &&
    module.debugId === undefined &&
    (first === 'no_release' || first === 'no_file_at_url')
  );
}

function addError(
  plan: EventPlan,
  problem: FrameMappingProblem | undefined,
  module: ResolvedModule | undefined,
  frame: { absPath: string; lineno: number; colno: number; source?: string },
): void {
  if (problem === undefined) {
    return;
  }
  const error = processingErrorFor(problem, module, frame);
  if (error === undefined) {
    return;
  }
  const key = `${error.type}\n${error.url ?? ''}`;
  if (!plan.errors.has(key)) {
    plan.errors.set(key, error);
  }
}

/** Marks every candidate frame unmapped after a failure that stopped the whole batch. */
function failPlans(plans: EventPlan[]): void {
  for (const { stacktrace, candidate } of eachCandidate(plans)) {
    const frame = stacktrace.frames[candidate.index];
    if (frame !== undefined) {
      stacktrace.frames[candidate.index] = withSymbolication(frame, undefined, 'unmapped', [
        'artifact_unreadable',
      ]);
    }
  }
}
