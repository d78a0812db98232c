/**
 * The project general settings page (name, platform, typed-confirmation delete) and the form
 * that deletes one end user's data, driven in Chromium against the built server.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildEnvelope, newEventId, postEnvelope } from '../helpers/envelopes.js';
import { launchChromium, logInThrough, newPage, screenshotPath } from '../helpers/chromium.js';
import {
  apiGet,
  apiRequest,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

interface ApiProject {
  slug: string;
  name: string;
  platform: string | null;
}

let picket: PicketInstance;
let project: TestProject;
let browser: Browser;
let page: Page;

async function eventStatus(eventId: string): Promise<number> {
  const response = await fetch(
    `${picket.url}/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/`,
    { headers: { authorization: `Bearer ${project.token}` } },
  );
  return response.status;
}

async function sendUserEvent(user: Record<string, string>): Promise<string> {
  const eventId = newEventId();
  const response = await postEnvelope(
    project,
    buildEnvelope({ event_id: eventId }, [
      {
        headers: { type: 'event' },
        payload: { event_id: eventId, message: 'ui deletion', level: 'error', user },
      },
    ]),
  );
  expect(response.status).toBe(200);
  await waitFor(async () => ((await eventStatus(eventId)) === 200 ? true : undefined), 20_000);
  return eventId;
}

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'eraseui');
  browser = await launchChromium();
  page = await newPage(browser);
  await logInThrough(page, `${picket.url}/settings/${project.orgSlug}/user-data/`, project);
  await page.waitForURL(/\/user-data\/$/);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await picket?.stop();
});

describe("delete a user's data form", () => {
  it('deletes the events of one e-mail', async () => {
    const carolEvent = await sendUserEvent({ id: 'c-1', email: 'carol@example.com' });
    const daveEvent = await sendUserEvent({ id: 'd-1', email: 'dave@example.com' });

    await page.getByRole('heading', { name: "Delete a User's Data" }).waitFor();
    const submit = page.getByRole('button', { name: "Delete this user's data" });
    await page.getByLabel('E-mail (user.email)').fill('Carol@Example.com');
    expect(await submit.isDisabled()).toBe(true);
    await page.getByLabel('I understand that the deleted data cannot be restored').check();
    await submit.click();

    const events = page.locator('dd[data-count="events"]');
    await events.waitFor();
    expect(await events.textContent()).toBe('1');
    expect(await page.locator('dd[data-count="issuesUpdated"]').textContent()).toBe('1');
    await page.screenshot({ path: screenshotPath('user-data-delete.png'), fullPage: true });
    expect(await eventStatus(carolEvent)).toBe(404);
    expect(await eventStatus(daveEvent)).toBe(200);
  });

  it('is listed in the settings navigation', async () => {
    const link = page.getByRole('navigation', { name: 'Settings' }).getByRole('link', {
      name: "Delete a user's data",
    });

    expect(await link.getAttribute('href')).toBe(`/settings/${project.orgSlug}/user-data/`);
  });
});

describe('project general settings', () => {
  const pagePath = () => `/settings/${project.orgSlug}/projects/${project.projectSlug}/general/`;

  it('saves the name and platform', async () => {
    await page.goto(`${picket.url}${pagePath()}`);
    await page.getByRole('heading', { name: 'General Settings' }).waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Storefront');
    await page.getByLabel('Platform').selectOption('python');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();

    const saved = (await apiGet(
      picket,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
    )) as ApiProject;
    expect(saved.name).toBe('Storefront');
    expect(saved.platform).toBe('python');
  });

  it('deletes the project after typing its slug', async () => {
    await page.goto(`${picket.url}${pagePath()}`);
    const remove = page.getByRole('button', { name: 'Delete project' });
    await remove.waitFor();

    expect(await remove.isDisabled()).toBe(true);
    await page.getByLabel(/to confirm/).fill(`${project.projectSlug}x`);
    expect(await remove.isDisabled()).toBe(true);
    await page.getByLabel(/to confirm/).fill(project.projectSlug);
    expect(await remove.isDisabled()).toBe(false);
    await page.screenshot({ path: screenshotPath('project-danger-zone.png'), fullPage: true });
    await remove.click();
    await page.waitForURL(/\/organizations\/[^/]+\/issues\/$/);

    const projects = (await apiRequest(
      picket,
      project.token,
      'GET',
      `/api/0/organizations/${project.orgSlug}/projects/`,
    )) as ApiProject[];
    expect(projects.map((item) => item.slug)).not.toContain(project.projectSlug);
  });
});
