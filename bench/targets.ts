import { encodeContext } from '../common/governance-context';
import { identityFromClaims } from '../gateway/identity/identity';
import { loadSandboxSigningKey, mintSandboxToken } from '../gateway/identity/sandbox-keys';
import { BENCH_CALLER_HEADER } from './bench-caller';
import type { Target } from './load';
import type { Stack } from './stack';
import { allCallers, benchContext, DIRECT_SUBGRAPH, seededRandom, type BenchCaller, type BenchRequest, type Operation } from './workload';
import type { Pools } from './pools';

/**
 * The four targets of a run and how each is asked: govgraph with a sandbox
 * token per caller, the others with the caller header the subgraphs'
 * unsigned listeners read, `direct` being one subgraph itself.
 */
export async function targetsFor(stack: Stack, pools: Pools): Promise<{ governed: Target; plain: Target; hive: Target; direct: Target }> {
  const { privateKey } = loadSandboxSigningKey(stack.governed.dataDir);
  const tokens = new Map<string, string>();
  const token = async (caller: BenchCaller) => {
    let minted = tokens.get(caller.sub);
    if (!minted) {
      const identity = identityFromClaims({
        sub: caller.sub,
        name: caller.name,
        department: caller.department,
        roles: caller.roles,
        areas: caller.areas,
      });
      minted = await mintSandboxToken(privateKey, identity, 4 * 3600);
      tokens.set(caller.sub, minted);
    }
    return minted;
  };
  for (const caller of allCallers(pools)) await token(caller);
  const contexts = new Map<string, string>();
  const unsignedHeaders = (request: BenchRequest) => {
    let encoded = contexts.get(request.caller.sub);
    if (!encoded) {
      encoded = encodeContext(benchContext(request.caller));
      contexts.set(request.caller.sub, encoded);
    }
    return { [BENCH_CALLER_HEADER]: encoded };
  };
  const governedHeaders = (request: BenchRequest) => {
    const minted = tokens.get(request.caller.sub);
    if (!minted) throw new Error(`no token minted for ${request.caller.sub}`);
    return { authorization: `Bearer ${minted}`, 'x-purpose': request.caller.purpose, 'apollographql-client-name': 'govgraph-bench' };
  };
  const direct = stack.subgraphs.find((s) => s.name === DIRECT_SUBGRAPH);
  if (!direct) throw new Error(`the benchmark needs the ${DIRECT_SUBGRAPH} department`);
  return {
    governed: { name: 'governed', url: stack.governed.url, pid: stack.governed.child.pid, headersFor: governedHeaders },
    plain: { name: 'plain', url: stack.plain.url, pid: stack.plain.child.pid, headersFor: unsignedHeaders },
    hive: { name: 'hive', url: stack.hive.url, pid: stack.hive.child.pid, headersFor: unsignedHeaders },
    direct: { name: 'direct', url: direct.unsignedUrl, pid: direct.service.child.pid, headersFor: unsignedHeaders },
  };
}

export async function post(target: Target, request: BenchRequest): Promise<{ status: number; body: string }> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headersFor(request) },
    body: JSON.stringify({ operationName: request.operationName, query: request.query, variables: request.variables }),
  });
  return { status: response.status, body: await response.text() };
}

/** Every operation answered in full by every target it is measured on, before anything is timed. */
export async function preflight(targets: Target[], operations: Operation[]): Promise<void> {
  for (const op of operations) {
    for (let i = 0; i < 3; i += 1) {
      const request = op.next(seededRandom(7 + i));
      const answers = await Promise.all(targets.map(async (target) => ({ target, ...(await post(target, request)) })));
      for (const { target, status, body } of answers) {
        if (status !== 200 || body.includes('"errors":'))
          throw new Error(`${target.name} did not answer ${op.name} in full: ${status} ${body.slice(0, 400)}`);
      }
    }
  }
}
