import dns from 'node:dns';
import net from 'node:net';
import { startStack } from './stack';

/**
 * A government network is often cut off from the internet, and a gateway
 * over personal data must not talk to anyone but its departments anyway:
 * starting, answering and stopping, the gateway (in this process) opens no
 * connection and looks up no name beyond this machine. Found the hard way:
 * @apollo/gateway reports usage to Apollo and probes cloud metadata
 * addresses unless told not to.
 */
describe('the gateway offline', () => {
  it('connects to and looks up nothing beyond this machine while it starts, answers and stops', async () => {
    const reached: string[] = [];
    const connect = net.Socket.prototype.connect;
    const lookup = dns.lookup;
    const local = (host: unknown) => host === undefined || host === 'localhost' || /^(127\.|::1$|::ffff:127\.)/.test(String(host));
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      const [first] = args;
      const host =
        typeof first === 'object' && first !== null
          ? ((first as { host?: string; path?: string }).host ?? (first as { path?: string }).path)
          : args[1];
      if (!local(host) && !(typeof first === 'object' && first !== null && 'path' in first)) reached.push(`connect ${String(host)}`);
      return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof connect;
    (dns as { lookup: unknown }).lookup = function (hostname: string, ...rest: unknown[]) {
      if (!local(hostname)) reached.push(`lookup ${hostname}`);
      return (lookup as (...a: unknown[]) => void).call(dns, hostname, ...rest);
    };
    try {
      const stack = await startStack({ residents: 100, seed: 103 });
      expect((await stack.query('{ residents(first: 2) { nodes { name } } }')).status).toBe(200);
      await stack.stop();
    } finally {
      net.Socket.prototype.connect = connect;
      (dns as { lookup: unknown }).lookup = lookup;
    }
    expect(reached).toEqual([]);
  });
});
