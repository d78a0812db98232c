/**
 * The steps every reliability scenario shares: start a deployment with two projects, run the
 * load while faults happen, let the client finish its retries, wait for the drain, and check
 * the ledger.
 */
import { setupProject } from '../../helpers/picket.js';
import { Deployment, type DeploymentOptions } from './deployment.js';
import { checkLedger, formatSummary, waitForDrain, type LedgerReport } from './ledger-check.js';
import { LoadGenerator, type LoadProject } from './load-generator.js';
import { IS_LONG_FORM, Random } from './random.js';

export interface ScenarioWorld {
  deployment: Deployment;
  projects: LoadProject[];
  random: Random;
}

/** Starts the deployment and creates two projects through its web process. */
export async function startWorld(options: DeploymentOptions, seed: number): Promise<ScenarioWorld> {
  const deployment = await Deployment.start(options);
  const instance = deployment.asInstance();
  const projects: LoadProject[] = [];
  for (const prefix of ['rel-a', 'rel-b']) {
    const project = await setupProject(instance, prefix);
    projects.push({ projectId: project.projectId, publicKey: project.publicKey });
  }
  return { deployment, projects, random: new Random(seed) };
}

/** Starts the load on every ingest process of the world. */
export function startLoad(world: ScenarioWorld, eventsPerSecond: number): LoadGenerator {
  const load = new LoadGenerator({
    ingestUrls: world.deployment.ingest.map((process) => process.url),
    projects: world.projects,
    eventsPerSecond,
    random: world.random,
  });
  load.start();
  return load;
}

// Deadlines only: a loaded 2-core machine may need all of them, a quiet one returns early.
export const CLIENT_RETRY_MS = IS_LONG_FORM ? 180_000 : 90_000;
export const DRAIN_TIMEOUT_MS = IS_LONG_FORM ? 600_000 : 120_000;

/** Finishes the load, waits for the drain, checks the ledger and prints the summary line. */
export async function finishAndCheck(
  world: ScenarioWorld,
  load: LoadGenerator,
  label: string,
  faults: string,
): Promise<LedgerReport> {
  await load.finish(CLIENT_RETRY_MS);
  const projectIds = world.projects.map((project) => project.projectId);
  await waitForDrain(world.deployment, projectIds, DRAIN_TIMEOUT_MS);
  const report = await checkLedger(world.deployment, load, projectIds);

  const statuses = [...load.statuses].map(([status, count]) => `${status}: ${count}`).join(', ');
  console.log(formatSummary(label, faults, report));
  console.log(`reliability ${label}: responses ${statuses}, ${load.abandoned} abandoned`);
  for (const crash of world.deployment.crashes) {
    console.log(`reliability ${label}: crash of ${crash}`);
  }
  if (report.missing.length > 0 || report.duplicates.length > 0 || report.mismatches.length > 0) {
    console.log(
      `reliability ${label}: missing ${report.missing.slice(0, 10).join(' ')}; duplicates ${report.duplicates.slice(0, 10).join(' ')}; ${report.mismatches.join('; ')}`,
    );
  }
  return report;
}

/** Waits `ms` milliseconds. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Kills a seeded random ingest or worker process with SIGKILL at seeded random moments and
 * restarts it after a short pause, `kills` times. Returns the names of the killed processes.
 */
export async function killAtRandom(world: ScenarioWorld, kills: number): Promise<string[]> {
  const { deployment, random } = world;
  const killed: string[] = [];

  for (let index = 0; index < kills; index += 1) {
    await pause(random.between(1_000, 4_000));
    const candidates = deployment.killable;
    const target = candidates[random.integer(candidates.length)];
    if (target === undefined) {
      throw new Error('the deployment has no process to kill');
    }
    await target.kill();
    killed.push(target.name);
    await pause(random.between(100, 1_500));
    await target.start();
  }
  return killed;
}
