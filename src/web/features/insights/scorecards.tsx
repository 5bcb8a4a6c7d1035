import { useState } from 'react';
import { useApi } from '../../use-api.ts';
import { useMe } from '../auth/session.tsx';
import { errorMessage } from '../../api.ts';
import { fmtCount, fmtScore, fmtShare, useInsightsLive, useMetrics, type MetricResult, type Period } from './insights-data.ts';
import { Csv, Definition, joinRows, saveInsightsSettings } from './insights-page.tsx';

type Settings = { leaderboardEnabled: boolean; teamGoals: Record<string, { slaAttainment?: number; firstContactResolution?: number; csat?: number }> };
const metrics = ['first_contact_resolution', 'csat', 'sla_attainment', 'repeats_caused'];

/** Scorecards on outcomes, not volume: first-contact resolution, CSAT, SLA attainment, repeat contacts caused. */
export function Scorecards({ period }: { period: Period }) {
  const me = useMe();
  const settings = useApi<Settings>('/insights/settings');
  useInsightsLive(settings.reload, 500);
  const agents = useMetrics(metrics, period, 'agent', 10_000);
  const teams = useMetrics(metrics, period, 'team', 10_000);
  const [error, setError] = useState<string | null>(null);
  const mayChange = me.agent.role === 'supervisor' || me.agent.role === 'admin';
  const s = settings.data;

  const toggle = async () => {
    if (!s) return;
    try { await saveInsightsSettings({ leaderboardEnabled: !s.leaderboardEnabled }); settings.reload(); setError(null); } catch (err) { setError(errorMessage(err)); }
  };
  const setGoal = async (teamId: string, slaAttainment: number) => {
    if (!s) return;
    try { await saveInsightsSettings({ teamGoals: { ...s.teamGoals, [teamId]: { ...s.teamGoals[teamId], slaAttainment } } }); settings.reload(); } catch (err) { setError(errorMessage(err)); }
  };

  return (
    <section className="card" aria-labelledby="scorecards-title" data-testid="scorecards">
      <div className="card-head">
        <h2 id="scorecards-title">Scorecards</h2>
        {mayChange && s && (
          <label className="switch"><input type="checkbox" checked={s.leaderboardEnabled} onChange={() => void toggle()} data-testid="leaderboard-switch" /> Show the leaderboard</label>
        )}
      </div>
      {error && <p className="alert alert-error" role="alert">{error}</p>}
      <h3>Teams</h3>
      <ScoreTable data={teams.data} period={period} groupBy="team" goals={s?.teamGoals ?? {}} onGoal={mayChange ? setGoal : undefined} />
      <h3>Agents</h3>
      <ScoreTable data={agents.data} period={period} groupBy="agent" />
      {s?.leaderboardEnabled && <Leaderboard data={agents.data} />}
      {s && !s.leaderboardEnabled && <p className="muted small" data-testid="leaderboard-off">The leaderboard is switched off by a supervisor.</p>}
    </section>
  );
}

function ScoreTable({ data, period, groupBy, goals, onGoal }: { data: Record<string, MetricResult>; period: Period; groupBy: 'team' | 'agent'; goals?: Settings['teamGoals']; onGoal?(teamId: string, v: number): void }) {
  const rows = joinRows(data, metrics).filter((r) => r.key);
  const head = (m: string, title: string) => <th>{title} <Definition name={title} text={data[m]?.definition} /> <Csv metric={m} period={period} groupBy={groupBy} /></th>;
  return (
    <table className="table">
      <thead><tr><th>{groupBy === 'team' ? 'Team' : 'Agent'}</th>{head('first_contact_resolution', 'First-contact resolution')}{head('csat', 'CSAT')}{head('sla_attainment', 'SLA attainment')}{head('repeats_caused', 'Repeat contacts caused')}{goals && <th>SLA goal</th>}</tr></thead>
      <tbody>
        {rows.map((r) => {
          const goal = goals?.[r.key]?.slaAttainment;
          const sla = r.get('sla_attainment')?.attainment as number | null | undefined;
          return (
            <tr key={r.key}><th>{r.label}</th><td>{fmtShare(r.get('first_contact_resolution')?.rate)}</td><td>{fmtScore(r.get('csat')?.value)}</td>
              <td className={goal !== undefined && sla !== null && sla !== undefined ? (sla >= goal ? 'goal-met' : 'goal-missed') : undefined}>{fmtShare(sla)}</td>
              <td>{fmtCount(r.get('repeats_caused')?.repeatsCaused)}</td>
              {goals && <td>{onGoal
                ? <select aria-label={`SLA goal of ${r.label}`} value={goal ?? ''} onChange={(e) => onGoal(r.key, Number(e.target.value))}>
                    <option value="" disabled>none</option>{[0.8, 0.85, 0.9, 0.95, 0.98].map((g) => <option key={g} value={g}>{g * 100}%</option>)}
                  </select>
                : goal !== undefined ? fmtShare(goal) : '–'}</td>}
            </tr>
          );
        })}
        {!rows.length && <tr><td colSpan={6} className="muted">Nothing in this period.</td></tr>}
      </tbody>
    </table>
  );
}

/** A friendly ranking on outcomes: the mean of SLA attainment and first-contact resolution, fewest repeats caused breaking ties. */
function Leaderboard({ data }: { data: Record<string, MetricResult> }) {
  const rows = joinRows(data, metrics).filter((r) => r.key).map((r) => {
    const parts = [r.get('sla_attainment')?.attainment, r.get('first_contact_resolution')?.rate].filter((v): v is number => typeof v === 'number');
    return { label: r.label, score: parts.length ? parts.reduce((a, b) => a + b, 0) / parts.length : null, caused: Number(r.get('repeats_caused')?.repeatsCaused ?? 0) };
  }).filter((r) => r.score !== null).sort((a, b) => b.score! - a.score! || a.caused - b.caused).slice(0, 5);
  return (
    <div className="leaderboard" data-testid="leaderboard">
      <h3>Leaderboard <span className="muted small">(SLA attainment and first-contact resolution)</span></h3>
      <ol>{rows.map((r) => <li key={r.label}>{r.label} <strong>{fmtShare(r.score)}</strong></li>)}</ol>
    </div>
  );
}
