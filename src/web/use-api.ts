import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, errorMessage } from './api.ts';

export type Loaded<T> = {
  data: T | undefined;
  error: string | null;
  /** The API's error code (`forbidden`, `not_found`, …) when it answered with one. */
  errorCode: string | null;
  loading: boolean;
  /** Fetch again; keeps showing the current data meanwhile. */
  reload(): void;
  setData(update: (current: T | undefined) => T | undefined): void;
};

/** GETs `path` (null: nothing), refetching when it changes; late answers of an old path are dropped. */
export function useApi<T>(path: string | null, load: (path: string, signal: AbortSignal) => Promise<T> = (p, signal) => api<T>(p, { signal })): Loaded<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (path === null) { setDataState(undefined); setLoading(false); return; }
    const ctrl = new AbortController();
    setLoading(true);
    load(path, ctrl.signal)
      .then((d) => { if (!ctrl.signal.aborted) { setDataState(d); setError(null); setErrorCode(null); } })
      .catch((err) => {
        if (ctrl.signal.aborted) return;
        setError(errorMessage(err));
        setErrorCode(err instanceof ApiError ? err.code : null);
      })
      .finally(() => { if (!ctrl.signal.aborted) setLoading(false); });
    return () => ctrl.abort();
    // `load` is expected to do the same thing for the same path, so only path and reloads count.
  }, [path, generation]);

  // A new path starts empty rather than showing the previous one's data.
  useEffect(() => { setDataState(undefined); setError(null); setErrorCode(null); }, [path]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setData = useCallback((update: (current: T | undefined) => T | undefined) => setDataState(update), []);
  return { data, error, errorCode, loading, reload, setData };
}
