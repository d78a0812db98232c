import { CodeBlock } from '../../components/code-block';
import { EventText } from '../../components/event-text';
import { RichTextView } from './rich-text-view';
import {
  buildCliEnvironment,
  buildFolderNote,
  buildInjectCommand,
  buildUploadCommand,
  type UploadTarget,
} from './upload-commands';

/** Release name in the example command when the project has no release yet. */
const EXAMPLE_RELEASE = '1.0.0';
const EXAMPLE_URL_PREFIX = '~/assets';
const EXAMPLE_FILE_NAME = 'app.min.js';

interface UploadHelpProps {
  target: UploadTarget;
  /** The project's newest release, used in the example command; null when it has none. */
  release: string | null;
}

/** Shows the sentry-cli commands that upload source maps to this project, with its values filled in. */
export function UploadHelp({ target, release }: UploadHelpProps) {
  const exampleRelease = release ?? EXAMPLE_RELEASE;

  return (
    <div className="upload-help">
      <h3>1. Point sentry-cli at this server</h3>
      <CodeBlock
        title="Environment"
        code={buildCliEnvironment(window.location.origin)}
        copyLabel="Copy the environment"
      />
      <p className="muted">
        Create the token with{' '}
        <code className="inline-code">
          npx picket token create --user you@example.com --scopes project:releases
        </code>
        , run in the folder that the Picket server runs from.
      </p>

      <h3>2. Upload with debug IDs</h3>
      <p>
        Inject debug IDs into the built files, deploy those files, and upload them. Picket then
        finds the map of each file by the debug ID that the SDK reports, whatever its URL.
      </p>
      <CodeBlock
        title="Debug IDs"
        code={[buildInjectCommand(), buildUploadCommand({ target })].join('\n')}
        copyLabel="Copy the debug ID commands"
      />

      <h3>Or upload by release and URL</h3>
      <p>
        Upload the maps for the release that the SDK sets in its <code>release</code> option, with
        the URL folder the browser loads the files from. A frame from{' '}
        <code className="inline-code">https://example.com/assets/app.min.js</code> then finds{' '}
        <code className="inline-code">{EXAMPLE_URL_PREFIX}/app.min.js</code> and its map.
        {release === null ? (
          <> Replace {EXAMPLE_RELEASE} with your release name.</>
        ) : (
          <>
            {' '}
            The command uses the newest release, <EventText>{release}</EventText>.
          </>
        )}
      </p>
      <CodeBlock
        title="Release"
        code={buildUploadCommand({
          target,
          release: exampleRelease,
          urlPrefix: EXAMPLE_URL_PREFIX,
        })}
        copyLabel="Copy the release command"
      />
      <p className="muted upload-folder-note">
        <RichTextView text={buildFolderNote(EXAMPLE_FILE_NAME)} />
      </p>
    </div>
  );
}
