import { useMutation, useQuery, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { SETTING_ROWS, type SettingName, type Settings, type SettingsView } from '../../src-shared/contract';
import { REGION_GROUPS } from '../../src-shared/regions';
import { useAtlas } from '../api/atlas-context';
import { ErrorNotice } from '../app/ErrorNotice';
import { SsoSignIn } from '../sso/SsoSignIn';
import { TeamDataSection } from '../fleet/TeamDataSection';
import { FLEET_STATUS_KEY } from '../fleet/use-fleet';
import { ApiKeySection } from './ApiKeySection';
import { IdentitySection } from './IdentitySection';
import './settings.css';

export function SettingsPage() {
  const { api } = useAtlas();
  const queryClient = useQueryClient();
  const view = useQuery({ queryKey: ['settings', 'view'], queryFn: () => api.getSettingsView() });
  const save = useMutation({
    mutationFn: (next: Settings) => api.updateSettings(next),
    onSuccess: (saved) => {
      queryClient.setQueryData(['settings'], saved);
      // The form and what hangs off the saved values (Sync now reads the saved store) follow the save at once,
      // not when the view's refetch lands: until then they would act on the settings just replaced.
      queryClient.setQueryData<SettingsView>(['settings', 'view'], (view) => (view ? { ...view, settings: saved } : view));
      void queryClient.invalidateQueries({ queryKey: ['settings', 'view'] });
      void queryClient.invalidateQueries({ queryKey: ['catalog'] });
      void queryClient.invalidateQueries({ queryKey: FLEET_STATUS_KEY });
    },
  });
  if (view.isError) return <ErrorNotice error={view.error} />;
  if (!view.data) return <div className="loading">Loading settings…</div>;
  // Keyed by the saved values: a save (here or elsewhere) starts the form from what was stored.
  return (
    <SettingsForm key={JSON.stringify(view.data.settings)} saved={view.data.settings} commandLine={view.data.commandLine} save={save}>
      <SettingsFileProblems problems={view.data.problems} keptAside={view.data.keptAside} />
    </SettingsForm>
  );
}

/** The settings file could not be used whole at start-up: say so here, where a save would replace it, and name the copy. */
function SettingsFileProblems({ problems, keptAside }: { problems: string[]; keptAside: string | null }) {
  if (problems.length === 0) return null;
  return (
    <div className="settings-file-problems" role="alert" data-testid="settings-file-problems">
      <strong>The settings file could not be used as it was.</strong>
      <ul>
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
      {keptAside ? (
        <p>
          Your file is kept unchanged in <code>{keptAside}</code>: copy what you need from it. Saving here writes a new settings file.
        </p>
      ) : null}
    </div>
  );
}

const label = (name: SettingName) => SETTING_ROWS[name].label;

/** Says that a value came from the command line: it holds for this run unless changed here. */
function FromCommandLine({ name, commandLine }: { name: SettingName; commandLine: SettingName[] }) {
  const flag = SETTING_ROWS[name].flag;
  if (!commandLine.includes(name)) return null;
  return (
    <span className="muted command-line-note">
      {flag ? (
        <>
          {label(name)} set by <code>{flag.name}</code> for this run
        </>
      ) : (
        <>{label(name)} set on the command line for this run</>
      )}
      ; saving a different value replaces it until you restart.
    </span>
  );
}

function SettingsForm({
  saved,
  commandLine,
  save,
  children,
}: {
  saved: Settings;
  commandLine: SettingName[];
  save: UseMutationResult<Settings, Error, Settings>;
  /** Shown under the heading (the settings file's problems). */
  children?: ReactNode;
}) {
  const [draft, setDraft] = useState<Settings>(saved);

  const allRegions = draft.regions.length === 0;
  const toggleRegion = (region: string) => {
    const selected = allRegions ? Object.values(REGION_GROUPS).flat() : draft.regions;
    const next = selected.includes(region) ? selected.filter((candidate) => candidate !== region) : [...selected, region];
    setDraft({ ...draft, regions: next });
  };

  return (
    <form
      className="settings-page"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(draft);
      }}
    >
      <h1>Settings</h1>
      {children}
      <fieldset>
        <legend>Cache</legend>
        <FromCommandLine name="cacheMode" commandLine={commandLine} />
        <FromCommandLine name="cacheDir" commandLine={commandLine} />
        <FromCommandLine name="maxAgeHours" commandLine={commandLine} />
        <label>
          {label('cacheMode')}
          <select value={draft.cacheMode} onChange={(event) => setDraft({ ...draft, cacheMode: event.target.value as Settings['cacheMode'] })}>
            <option value="file">file: one cache file (desktop)</option>
            <option value="memory">memory: nothing written to disk</option>
            <option value="none">none: always fetch</option>
          </select>
        </label>
        <label>
          {label('cacheDir')}
          <input type="text" placeholder="OS cache directory" value={draft.cacheDir ?? ''} onChange={(event) => setDraft({ ...draft, cacheDir: event.target.value || null })} />
        </label>
        <label>
          {label('maxAgeHours')}
          <input type="number" min={0.1} step={0.1} value={draft.maxAgeHours} onChange={(event) => setDraft({ ...draft, maxAgeHours: Number(event.target.value) })} />
        </label>
      </fieldset>
      <fieldset>
        <legend>AWS</legend>
        <FromCommandLine name="awsProfile" commandLine={commandLine} />
        <label>
          {label('awsProfile')}
          <input type="text" placeholder="default credential chain" value={draft.awsProfile ?? ''} onChange={(event) => setDraft({ ...draft, awsProfile: event.target.value || null })} />
        </label>
        <p className="muted">Credentials stay in the main process: env variables, ~/.aws profiles and SSO are read there, never here.</p>
        <SsoSignIn />
      </fieldset>
      <ApiKeySection />
      <IdentitySection awsProfile={saved.awsProfile} />
      <fieldset>
        <legend>History</legend>
        <FromCommandLine name="dataDir" commandLine={commandLine} />
        <label>
          {label('dataDir')}
          <input type="text" placeholder="OS data directory" value={draft.dataDir ?? ''} onChange={(event) => setDraft({ ...draft, dataDir: event.target.value || null })} />
        </label>
        <label>
          {label('historyLimit')}
          <input type="number" min={1000} step={1000} value={draft.historyLimit} onChange={(event) => setDraft({ ...draft, historyLimit: Number(event.target.value) })} />
        </label>
        <p className="muted">Latency runs, probes and conversations are kept in one file there; the oldest samples go beyond the limit.</p>
      </fieldset>
      <TeamDataSection draft={draft.teamStore} saved={saved.teamStore} onDraft={(teamStore) => setDraft({ ...draft, teamStore })} />
      <fieldset>
        <legend>OpenTelemetry</legend>
        <label className="inline">
          <input type="checkbox" checked={draft.otlpExport} onChange={(event) => setDraft({ ...draft, otlpExport: event.target.checked })} /> {label('otlpExport')}
        </label>
        <p className="muted">
          Each stored latency or load run's requests go out as GenAI metrics (duration, time to first token, output tokens) to the endpoint <code>OTEL_EXPORTER_OTLP_ENDPOINT</code> names in the
          app's environment (a local collector at http://localhost:4318 when unset), with <code>OTEL_EXPORTER_OTLP_HEADERS</code>, <code>OTEL_RESOURCE_ATTRIBUTES</code> and{' '}
          <code>OTEL_SERVICE_NAME</code>.
        </p>
      </fieldset>
      <fieldset>
        <legend>Appearance</legend>
        <label>
          {label('theme')}
          <select value={draft.theme} onChange={(event) => setDraft({ ...draft, theme: event.target.value as Settings['theme'] })}>
            <option value="system">Follow the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
      </fieldset>
      <fieldset>
        <legend>{label('regions')}</legend>
        <FromCommandLine name="regions" commandLine={commandLine} />
        <label className="inline">
          <input type="checkbox" checked={allRegions} onChange={() => setDraft({ ...draft, regions: allRegions ? ['us-east-1'] : [] })} /> All 33 commercial regions
        </label>
        <div className="region-grid">
          {Object.entries(REGION_GROUPS).map(([group, regions]) => (
            <div key={group} role="group" aria-label={group}>
              <strong>{group}</strong>
              {regions.map((region) => (
                <label key={region} className="inline">
                  <input type="checkbox" checked={allRegions || draft.regions.includes(region)} onChange={() => toggleRegion(region)} /> {region}
                </label>
              ))}
            </div>
          ))}
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          Save
        </button>
        {save.isSuccess ? <span className="muted">Saved.</span> : null}
      </div>
      {save.isError ? <ErrorNotice error={save.error} /> : null}
    </form>
  );
}
