import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { gatewayKeyFile, loadSecret } from '../../common/key-files';
import { recordVerification } from '../../gateway/audit/chain-status';
import { verifyAuditTrail } from '../../gateway/audit/verify-store';
import { loadGatewayConfig } from '../../gateway/config';
import type { Identity } from '../../gateway/identity/identity';
import { startStack, type Stack } from '../integration/stack';
import { buildPages, launchBrowser, visit, type Visit } from './browser';

/**
 * The stewards' console at /console, in a real browser with every request
 * off this machine blocked and no failed request or console error allowed:
 * a request for Resident.birthDate filed by the grid's steward, forwarded by
 * the data office, approved narrower by civil affairs; the grant it made;
 * the steps in the audit trail; a resident's access history exported as
 * CSV; the chain's state; sign-in with a pasted token; English.
 *
 * With SCREENSHOTS=docs each page's screenshot (1440×900) is written to
 * docs/console/<page>.png; otherwise to a temporary folder.
 */
const SHOTS =
  process.env.SCREENSHOTS === 'docs'
    ? path.join(__dirname, '..', '..', 'docs', 'console')
    : mkdtempSync(path.join(tmpdir(), 'console-shots-'));

/** The sandbox's sample identities, by the English part of their labels (the picker searches them). */
const GRID_STEWARD = 'grid steward';
const OFFICE_STEWARD = 'data-office steward';
const CIVIL_STEWARD = 'civil-affairs steward';
const PETITIONS_STEWARD = 'petitions steward';
const OFFICE: Partial<Identity> = { sub: 'office-steward', department: 'data-office', roles: ['steward'] };
const CIVIL: Partial<Identity> = { sub: 'ca-steward', department: 'civil-affairs', roles: ['steward'] };
const asSteward = (as: Partial<Identity>) => ({ as, purpose: 'supervision' });

/** A day `days` from now, as the date pickers take it. */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

interface RequestView {
  id: string;
  status: string;
  parts: { provider: string; status: string; grant: string | null }[];
  history: { seq: number; action: string; requestId: string | null; grant: string | null }[];
}

interface HistoryRow {
  seq: number;
  at: string;
  sub: string | null;
  department: string | null;
  purpose: string | null;
  outcome: string;
  status: number;
  requestId: string;
  clientRequestId: string | null;
  decisions: { coordinate: string; decision: string; grant: string | null }[];
}

/** RFC 4180 rows: quoted cells may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe('the stewards’ console', () => {
  let stack: Stack;
  let browser: Browser;
  let origin: string;
  let tab: Visit;
  let township: string;
  let requestId: string;
  let grantId: string;
  let validUntil: string;

  beforeAll(async () => {
    buildPages();
    mkdirSync(SHOTS, { recursive: true });
    stack = await startStack({ residents: 200, seed: 101 });
    origin = new URL(stack.gatewayUrl).origin;
    township = stack.county.villages[0]!.code.slice(0, 9);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  beforeEach(async () => {
    tab = await visit(browser, origin);
  });
  afterEach(async () => {
    // Nothing may leave the machine, and nothing may fail to load.
    expect(tab.offOrigin).toEqual([]);
    expect(tab.failures).toEqual([]);
    await tab.context.close();
  });

  /** Opens the console at `route` as a sample identity, picked in the header as a steward trying the sandbox would. */
  const openAs = async (identity: string, route = '') => {
    const { page } = tab;
    await page.goto(`${origin}/console/${route}`);
    const picker = page.getByRole('combobox', { name: '身份' });
    await picker.click();
    await picker.fill(identity);
    // The one option left (its label ends with the identity's English name), then chosen.
    await page.getByText(`(${identity})`).filter({ visible: true }).waitFor();
    await page.keyboard.press('Enter');
    // The header names who is signed in.
    await page.getByRole('banner').getByText(`(${identity})`).filter({ visible: true }).waitFor();
    await page.getByRole('button', { name: '退出' }).waitFor();
    return page;
  };
  // Animations (a drawer sliding in) are run to their end first.
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), animations: 'disabled' });
  const sharingRequest = async (id: string) => {
    const result = await stack.query<{ sharingRequest: RequestView }>(
      'query ($id: ID!) { sharingRequest(id: $id) { id status parts { provider status grant } history { seq action requestId grant } } }',
      { id },
      asSteward(OFFICE),
    );
    expect(result.errors).toBeUndefined();
    return result.data!.sharingRequest;
  };
  /** A table row holding `text`. */
  const row = (scope: Page | Locator, text: string) => scope.getByRole('row').filter({ hasText: text });

  it('lets a grid steward file a request for residents’ birth dates in one township, for assistance', async () => {
    const page = await openAs(GRID_STEWARD, 'requests');
    await page.getByRole('button', { name: '提出申请' }).click();
    const dialog = page.getByRole('dialog', { name: '提出申请' });
    // The fields offered are the CONDITIONAL ones of other departments.
    const fields = dialog.getByLabel('字段');
    await fields.click();
    await fields.fill('Resident.birthDate');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await dialog.getByRole('checkbox', { name: '帮扶救助' }).check();
    await dialog.getByLabel('应用场景').fill('高龄津贴主动发现');
    await dialog.getByLabel('依据').fill('《政务数据共享条例》');
    validUntil = inDays(365);
    await dialog.getByLabel('有效期至').fill(validUntil);
    await dialog.getByLabel('区域').fill(township);
    await dialog.getByText('可选：其他部门的“有条件共享”字段').click();
    await shot(page, 'request-new');
    await dialog.getByRole('button', { name: '提交' }).click();

    // Filed, it opens in the drawer: submitted, for the data office to review; nothing there for the grid to do.
    await page.waitForURL(/\/console\/requests\/SR-/);
    requestId = decodeURIComponent(page.url().split('/').pop()!);
    const drawer = page.getByRole('dialog', { name: requestId });
    await drawer.getByText('此申请当前没有您可以办理的步骤。').waitFor();
    await row(drawer, 'grid-steward').getByText('申请', { exact: true }).waitFor();
    const filed = await sharingRequest(requestId);
    expect(filed.status).toBe('SUBMITTED');
    expect(filed.parts).toEqual([{ provider: 'civil-affairs', status: 'WAITING', grant: null }]);

    // The outbox lists it, with its due date.
    await drawer.getByRole('button', { name: '关闭' }).click();
    await page.getByRole('tab', { name: '我方申请' }).click();
    await row(page, requestId).getByText('待审核').first().waitFor();
  });

  it('lets a data-office steward forward it to civil affairs', async () => {
    const page = await openAs(OFFICE_STEWARD, 'requests');
    // The data office's inbox holds every request.
    await row(page, requestId).getByText('待审核').first().waitFor();
    await shot(page, 'requests');
    await page.getByRole('link', { name: requestId }).click();
    const drawer = page.getByRole('dialog', { name: requestId });
    await drawer.getByRole('button', { name: '转交提供部门' }).click();
    await row(drawer, 'office-steward').getByText('转交', { exact: true }).waitFor();
    await row(drawer, '民政').getByText('待答复').waitFor();
    expect((await sharingRequest(requestId)).status).toBe('FORWARDED');
  });

  it('lets a civil-affairs steward approve it narrower: masked, and for a shorter time', async () => {
    const page = await openAs(CIVIL_STEWARD, 'requests');
    // Civil affairs' inbox: the requests it provides for.
    await page.getByRole('link', { name: requestId }).click();
    const drawer = page.getByRole('dialog', { name: requestId });
    await drawer.getByRole('checkbox', { name: 'Resident.birthDate (YEAR)' }).check();
    await drawer.getByLabel('有效期至').fill(inDays(30));
    await drawer.getByLabel('理由（可选）').fill('同意，仅年份');
    await drawer.getByRole('heading', { name: '答复', exact: true }).click();
    await shot(page, 'request-answer');
    await drawer.getByRole('button', { name: '同意', exact: true }).click();
    await row(drawer, 'ca-steward').getByText('同意，仅年份').waitFor();

    const answered = await sharingRequest(requestId);
    expect(answered.status).toBe('ANSWERED');
    grantId = answered.parts[0]!.grant!;
    expect(grantId).toMatch(/^G-/);
    const grants = await stack.query<{ grants: { id: string; masked: string[]; validUntil: string; areas: string[] }[] }>(
      '{ grants { id masked validUntil areas } }',
      undefined,
      asSteward(OFFICE),
    );
    expect(grants.data!.grants.find((grant) => grant.id === grantId)).toEqual({
      id: grantId,
      masked: ['Resident.birthDate'],
      validUntil: `${inDays(30)}T00:00:00.000Z`,
      areas: [township],
    });
    await drawer.getByRole('heading', { name: '办理记录' }).scrollIntoViewIfNeeded();
    await shot(page, 'request-detail');
  });

  it('shows the grant on the grants page, active, with its request', async () => {
    const page = await openAs(GRID_STEWARD, 'grants');
    const grant = row(page, grantId);
    await grant.getByRole('link', { name: requestId }).waitFor();
    await grant.getByText('Resident.birthDate · 脱敏').waitFor();
    // The consumer's steward may not revoke it: that is for its provider and the data office.
    expect(await grant.getByRole('button', { name: '撤销' }).count()).toBe(0);
    await shot(page, 'grants');
    await grant.getByRole('link', { name: requestId }).click();
    await page.getByRole('dialog', { name: requestId }).getByText(grantId).first().waitFor();
  });

  it('finds the steps in the audit trail, by department and by request id, and shows a record’s steps', async () => {
    const page = await openAs(OFFICE_STEWARD, 'audit');
    // The whole trail, newest first, 20 records a page, by cursor.
    const firstSeq = async () => Number(await page.getByRole('row').nth(1).getByRole('cell').first().textContent());
    await page.getByText(/^第 1 页 · 共 \d+ 条$/).waitFor();
    const newest = await firstSeq();
    await page.getByRole('button', { name: '下一页' }).click();
    await page.getByText(/^第 2 页/).waitFor();
    await page.getByRole('cell', { name: String(newest - 20), exact: true }).waitFor();
    await page.getByRole('button', { name: '上一页' }).click();
    await page.getByRole('cell', { name: String(newest), exact: true }).waitFor();

    await page.getByLabel('部门').fill('grid');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '查询' }).click();
    await row(page, 'mutation File').getByText(`申请 · ${requestId}`).waitFor();

    // The approval's record, by the request id its step names.
    const approval = (await sharingRequest(requestId)).history.find((step) => step.action === 'APPROVE')!;
    await page.getByRole('button', { name: '重置' }).click();
    await page.getByLabel('请求标识').fill(approval.requestId!);
    await page.getByRole('button', { name: '查询' }).click();
    const record = row(page, 'mutation Answer');
    await record.getByText(`同意 · ${requestId}`).waitFor();
    await page.getByText('第 1 页 · 共 1 条').waitFor();
    await record.getByRole('button', { name: /审计记录/ }).click();
    const detail = page.getByRole('dialog', { name: /审计记录/ });
    const step = row(detail, grantId);
    await step.getByText('同意', { exact: true }).waitFor();
    await step.getByRole('link', { name: requestId }).waitFor();
    await step.getByText('民政').waitFor();
    await row(detail, 'Mutation.answerSharingRequest').waitFor();
    await shot(page, 'audit');
  });

  it('exports a resident’s access history as CSV, exactly the rows accessHistory returns', async () => {
    const resident = stack.county.residents.find((r) => r.areaCode === stack.county.villages[0]!.code)!;
    // Reads of that resident: a civil-affairs officer twice, a grid worker of the village once (under G1).
    for (const id of ['ca-read-1', 'ca-read-2']) {
      const read = await stack.query(
        'query ($id: ID!) { resident(id: $id) { name idNumber } }',
        { id: resident.id },
        { headers: { 'x-request-id': id } },
      );
      expect(read.errors).toBeUndefined();
    }
    const worker = { sub: 'w-42', department: 'grid', roles: ['grid_worker'], areas: [resident.areaCode] };
    await stack.query(
      'query ($id: ID!) { resident(id: $id) { name phone } }',
      { id: resident.id },
      { as: worker, purpose: 'assistance', headers: { 'x-request-id': 'worker,read' } },
    );

    const page = await openAs(OFFICE_STEWARD, 'access');
    await page.getByLabel('主体标识').fill(resident.id);
    await page.getByRole('button', { name: '查询' }).click();
    await row(page, 'w-42').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    await shot(page, 'access');

    const history = await stack.query<{ accessHistory: HistoryRow[] }>(
      'query ($id: ID!) { accessHistory(subjectType: "Resident", subjectId: $id) { seq at sub department purpose outcome status requestId clientRequestId decisions { coordinate decision grant } } }',
      { id: resident.id },
      asSteward(OFFICE),
    );
    const rows = history.data!.accessHistory;
    expect(rows.map((r) => r.clientRequestId)).toEqual(['worker,read', 'ca-read-2', 'ca-read-1']);
    // UTF-8 with a byte-order mark, for Excel; a header, then each record as the API returned it, newest first.
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [header, ...lines] = parseCsv(csv.slice(1));
    expect(header).toEqual(['序号', '时间', '调用者', '部门', '用途', '结果', '状态码', '请求标识', '客户端请求标识', '字段决定']);
    expect(lines).toEqual(
      rows.map((r) => [
        String(r.seq),
        r.at,
        r.sub ?? '',
        r.department ?? '',
        r.purpose ?? '',
        r.outcome,
        String(r.status),
        r.requestId,
        r.clientRequestId ?? '',
        r.decisions.map((d) => `${d.coordinate}=${d.decision}${d.grant ? `(${d.grant})` : ''}`).join('; '),
      ]),
    );
    expect(lines[0]![9]).toContain('Resident.phone=allow(G1)');
  });

  it('shows where the audit chain stands: a warning until it is verified, then in order', async () => {
    const page = await openAs(OFFICE_STEWARD, 'chain');
    await page.getByText('审计链需要关注').waitFor();
    await page.getByText('还没有运行过校验：请运行 npm run audit:verify。').first().waitFor();

    // What npm run audit:verify does, on the running gateway's database.
    const config = loadGatewayConfig({ DATA_DIR: stack.dataDir });
    const key = loadSecret('AUDIT_CHAIN_KEY', undefined, gatewayKeyFile(stack.dataDir, 'audit-chain.key'));
    const verdict = await verifyAuditTrail(stack.gateway.database, key, config.auditAnchorPath);
    expect(verdict).toMatchObject({ intact: true });
    await recordVerification(stack.gateway.database, true, (verdict as { records: number }).records, null);

    await page.getByRole('button', { name: '刷新' }).click();
    await page.getByText('审计链正常').waitFor();
    await shot(page, 'chain');
  });

  it('shows the catalogue with owners, levels, maskers and the grants covering each field, searchable', async () => {
    const page = await openAs(GRID_STEWARD, 'catalog');
    await page.getByLabel('搜索字段或部门').fill('Resident.birth');
    const field = row(page, 'Resident.birthDate');
    await field.getByText('有条件共享').waitFor();
    await field.getByText('YEAR').waitFor();
    await field.getByRole('link', { name: grantId }).waitFor();
    await page.getByLabel('搜索字段或部门').fill('Resident.idNumber');
    await row(page, 'Resident.idNumber').getByRole('link', { name: 'G1' }).waitFor();
    // By owner: civil affairs' residents.
    await page.getByLabel('搜索字段或部门').fill('民政 Resident.');
    await row(page, 'Resident.birthDate').waitFor();
    await shot(page, 'catalog');
  });

  it('works on every page for a department’s steward and the data office’s, offering each only its own steps', async () => {
    // Each page with something its first query brought.
    const pages: [string, string, string][] = [
      ['catalog', '共享目录', 'AuditEvent.at'],
      ['requests', '共享申请', 'SR-SEED-G4'],
      ['grants', '授权', 'SR-SEED-G4'],
      ['audit', '审计', '第 1 页'],
      ['access', '访问记录', '主体标识'],
      ['chain', '链状态', '最近校验'],
    ];
    for (const steward of [PETITIONS_STEWARD, OFFICE_STEWARD]) {
      const page = await openAs(steward);
      for (const [route, title, content] of pages) {
        await page.getByRole('menuitem', { name: title }).click();
        await page.waitForURL(`${origin}/console/${route}`);
        await page.getByRole('heading', { name: title }).waitFor();
        await page.getByText(content).first().waitFor();
        // No error shown (an error names its code).
        expect(
          await page
            .getByRole('alert')
            .filter({ hasText: /[A-Z]{3,}_[A-Z_]+/ })
            .count(),
        ).toBe(0);
      }
      await page.getByRole('menuitem', { name: '共享申请' }).click();
      const office = steward === OFFICE_STEWARD;
      // The data office files nothing: no outbox, no new request; it sees every request.
      await page.getByRole('tab', { name: office ? '全部申请' : '待我办理' }).waitFor();
      expect(await page.getByRole('button', { name: '提出申请' }).count()).toBe(office ? 0 : 1);
      expect(await page.getByRole('tab', { name: '我方申请' }).count()).toBe(office ? 0 : 1);
      // Grants: the data office may revoke any; petitions only those it provides (G4).
      await page.getByRole('menuitem', { name: '授权' }).click();
      await row(page, 'SR-SEED-G4').getByRole('button', { name: '撤销' }).waitFor();
      expect(await row(page, 'SR-SEED-G1').getByRole('button', { name: '撤销' }).count()).toBe(office ? 1 : 0);
    }
  });

  it('lets a provider’s steward revoke its grant with a reason, and shows the server’s refusal without losing what was typed', async () => {
    const page = await openAs(PETITIONS_STEWARD, 'grants');
    await row(page, 'SR-SEED-G4').getByRole('button', { name: '撤销' }).click();
    const dialog = page.getByRole('dialog', { name: '撤销授权 G4' });
    await dialog.getByLabel('理由').fill('信访事项已办结');
    // Meanwhile the data office revokes it: this steward's revocation is refused, the reason kept.
    const first = await stack.query(
      'mutation { revokeGrant(id: "G4", reason: "数据局统一清理") { active } }',
      undefined,
      asSteward(OFFICE),
    );
    expect(first.errors).toBeUndefined();
    await dialog.getByRole('button', { name: '撤销' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.getByText('INVALID_TRANSITION').or(refusal.getByText('BAD_USER_INPUT')).first().waitFor();
    expect(await dialog.getByLabel('理由').inputValue()).toBe('信访事项已办结');
    await shot(page, 'grant-revoke-refused');
    await dialog.getByRole('button', { name: '取消' }).click();
    await page.getByRole('tab', { name: /已撤销/ }).click();
    await row(page, 'SR-SEED-G4').getByText('数据局统一清理').waitFor();
  });

  it('shows the server’s refusal of a review step with its code, keeping the reason typed', async () => {
    const filed = await stack.query<{ requestSharing: { id: string } }>(
      `mutation { requestSharing(input: { fields: ["Resident.careLevel"], purposes: ["service"], scenario: "上门服务", basis: "试点方案",
        validUntil: "${inDays(90)}" }) { id } }`,
      undefined,
      asSteward(CIVIL),
    );
    const id = filed.data!.requestSharing.id;
    const page = await openAs(OFFICE_STEWARD, `requests/${id}`);
    const drawer = page.getByRole('dialog', { name: id });
    await drawer.getByRole('radio', { name: '退回' }).check();
    await drawer.getByLabel('理由').fill('依据不充分，请补充文件');
    // Another steward of the data office forwards it first.
    const forwarded = await stack.query(
      `mutation { reviewSharingRequest(id: "${id}", forward: true) { status } }`,
      undefined,
      asSteward(OFFICE),
    );
    expect(forwarded.errors).toBeUndefined();
    await drawer.getByRole('button', { name: '退回' }).click();
    await drawer.getByRole('alert').getByText('INVALID_TRANSITION').waitFor();
    expect(await drawer.getByLabel('理由').inputValue()).toBe('依据不充分，请补充文件');
  });

  it('signs in with a pasted token kept in this tab only, and signs out', async () => {
    const { page } = tab;
    await page.goto(`${origin}/console/chain`);
    const token = await stack.token({ sub: 'office-steward-2', name: '数据局管理员乙', department: 'data-office', roles: ['steward'] });
    await page.getByLabel('令牌').fill('not a token');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('这不是带有 govgraph 身份声明（sub、department）的 JWT。').waitFor();
    await page.getByLabel('令牌').fill(token);
    // The issuer the gateway accepts is named above the form, and the token's own below it, here the same.
    await page.getByRole('code').filter({ hasText: 'govgraph-sandbox' }).waitFor();
    await page.getByRole('rowgroup').getByText('govgraph-sandbox').waitFor();
    expect(await page.getByText('不是网关接受的签发方').count()).toBe(0);
    await shot(page, 'sign-in');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '链状态' }).waitFor();
    await page.getByText('数据局管理员乙').waitFor();
    // Evaluated in the page (this file is compiled without the DOM's types).
    const stored = await page.evaluate<{ session: string[]; local: string[]; cookie: string }>(
      '({ session: Object.values(sessionStorage), local: Object.values(localStorage), cookie: document.cookie })',
    );
    expect(stored.session).toContain(token);
    expect(stored.local.join()).not.toContain(token);
    expect(stored.cookie).toBe('');
    await page.getByRole('button', { name: '退出' }).click();
    await page.getByLabel('令牌').waitFor();
    expect(await page.evaluate<string>('Object.values(sessionStorage).join()')).not.toContain(token);
  });

  it('switches to English, and keeps the choice', async () => {
    const page = await openAs(CIVIL_STEWARD, 'requests');
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Sharing requests' }).waitFor();
    await page.getByRole('menuitem', { name: 'Audit trail' }).waitFor();
    await page.getByRole('tab', { name: 'Inbox' }).waitFor();
    await shot(page, 'english');
    await page.reload();
    await page.getByRole('menuitem', { name: 'Catalogue' }).waitFor();
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('en');
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('menuitem', { name: '共享目录' }).waitFor();
  });
});
