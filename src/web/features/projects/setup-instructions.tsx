import { CodeBlock } from '../../components/code-block';
import { Panel } from '../../components/panel';
import { buildSetupSnippets, orderSnippetsForPlatform } from './setup-snippets';

interface SetupInstructionsProps {
  dsn: string;
  platform: string | null;
}

/** SDK setup snippets with the project's DSN filled in, the project's platform first. */
export function SetupInstructions({ dsn, platform }: SetupInstructionsProps) {
  const snippets = orderSnippetsForPlatform(buildSetupSnippets(dsn), platform);

  return (
    <Panel title="Configure an SDK" className="setup-panel">
      <p className="muted">
        Picket speaks Sentry&apos;s protocol, so the official Sentry SDKs work unchanged. Install
        one and initialize it with this project&apos;s DSN.
      </p>
      {snippets.map((snippet) => (
        <div key={snippet.platform} className="setup-snippet">
          <h3>{snippet.title}</h3>
          <CodeBlock
            title="Install"
            code={snippet.install}
            copyLabel={`Copy ${snippet.title} install command`}
          />
          <CodeBlock
            title="Configure"
            code={snippet.code}
            copyLabel={`Copy ${snippet.title} snippet`}
          />
        </div>
      ))}
    </Panel>
  );
}
