import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';
import { useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { PURPOSES, sampleIdentities, type SampleIdentity } from '../shared/identities';
import './ide.css';

/**
 * The IDE at GET /graphql: GraphiQL from this build, with the two things
 * every govgraph request needs above it, a token and a purpose. In the
 * sandbox a picker of sample identities fills in the token. The token stays
 * in this tab (sessionStorage) and goes only to this gateway.
 */
const TOKEN_KEY = 'govgraph.token';
const DEFAULT_QUERY = `# 每个请求都需要令牌和用途 · Every request needs a token and a purpose (above).
{
  residents(first: 3) {
    totalCount
    nodes { name gender areaCode }
  }
}
`;
const PURPOSE_KEY = 'govgraph.purpose';

function Ide() {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? '');
  const [purpose, setPurpose] = useState(() => sessionStorage.getItem(PURPOSE_KEY) ?? 'service');
  const [identities, setIdentities] = useState<SampleIdentity[]>([]);
  useEffect(() => {
    sampleIdentities().then(setIdentities, () => setIdentities([]));
  }, []);
  useEffect(() => sessionStorage.setItem(TOKEN_KEY, token), [token]);
  useEffect(() => sessionStorage.setItem(PURPOSE_KEY, purpose), [purpose]);

  const fetcher = useMemo(
    () => async (params: unknown) => {
      // Every request needs a token: without one, say so here rather than send a request bound to fail.
      if (!token) return { errors: [{ message: '先选择示例身份或填写令牌 · Pick a sample identity or enter a token first' }] };
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-purpose': purpose,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(params),
      });
      return response.json();
    },
    [token, purpose],
  );

  const pick = (key: string) => {
    const identity = identities.find((candidate) => candidate.key === key);
    if (!identity) return;
    setToken(identity.token);
    setPurpose(identity.purpose);
  };

  return (
    <div className="ide">
      <header className="ide-bar">
        <strong>govgraph</strong>
        {identities.length > 0 && (
          <label>
            身份 Identity
            <select aria-label="identity" defaultValue="" onChange={(event) => pick(event.target.value)}>
              <option value="" disabled>
                选择示例身份 · pick a sample identity
              </option>
              {identities.map((identity) => (
                <option key={identity.key} value={identity.key}>
                  {identity.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="ide-token">
          令牌 Token
          <input
            aria-label="token"
            type="password"
            value={token}
            placeholder="Bearer token (JWT)"
            onChange={(event) => setToken(event.target.value.trim())}
          />
        </label>
        <label>
          用途 Purpose
          <select aria-label="purpose" value={purpose} onChange={(event) => setPurpose(event.target.value)}>
            {PURPOSES.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <a href="/console">控制台 Console</a>
      </header>
      {/* A new token or purpose is a new fetcher: GraphiQL fetches the schema again with it. */}
      <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} defaultEditorToolsVisibility={false} />
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<Ide />);
