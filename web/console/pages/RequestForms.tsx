/**
 * The steps of the sharing workflow as forms: file a request, review it
 * (forward or return), answer a part (approve, narrower if need be, or
 * refuse), escalate a refusal, coordinate. Each has its reason field,
 * required where docs/sharing.md requires one. On failure the server's
 * message and code are shown and what the steward typed stays.
 */
import { App, Button, Checkbox, DatePicker, Divider, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import type { InputProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { PURPOSES } from '../../shared/identities';
import { gql, sharingCatalog, type CatalogEntry, type SharingRequest } from '../api';
import { ErrorAlert, useLoad } from '../components';
import { useI18n, type Translate } from '../i18n';
import { useSession } from '../session';

const MAX_REASON = 500;
const MAX_TEXT = 1000;
const AREA_PREFIX = /^\d{2,12}$/;

/** Runs a step; keeps its error for the form to show. */
function useStep(onDone: () => void) {
  const { message } = App.useApp();
  const { t } = useI18n();
  const [error, setError] = useState<unknown>();
  const [running, setRunning] = useState(false);
  const run = async (step: () => Promise<unknown>) => {
    setRunning(true);
    setError(undefined);
    try {
      await step();
      message.success(t('action.done'));
      onDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setRunning(false);
    }
  };
  return { error, running, run };
}

function ReasonItem({ required }: { required: boolean }) {
  const { t } = useI18n();
  return (
    <Form.Item
      name="reason"
      label={required ? t('common.reason') : t('common.reasonOptional')}
      rules={[{ required, whitespace: true, message: t('common.reasonRequired') }]}
    >
      <Input.TextArea rows={2} maxLength={MAX_REASON} showCount />
    </Form.Item>
  );
}

const STEP_RESULT = 'id status';

export function ReviewForm({ request, onDone }: { request: SharingRequest; onDone(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ forward: boolean; reason?: string }>();
  const forward = Form.useWatch('forward', form) ?? true;
  const step = useStep(onDone);
  return (
    <Form
      form={form}
      name="review"
      layout="vertical"
      initialValues={{ forward: true }}
      onFinish={(values) =>
        step.run(() =>
          gql(
            `mutation Review($id: ID!, $forward: Boolean!, $reason: String) { reviewSharingRequest(id: $id, forward: $forward, reason: $reason) { ${STEP_RESULT} } }`,
            { id: request.id, forward: values.forward, reason: values.reason || null },
          ),
        )
      }
    >
      <Typography.Title level={5}>{t('action.review')}</Typography.Title>
      <ErrorAlert error={step.error} />
      <Form.Item name="forward">
        <Radio.Group
          options={[
            { value: true, label: t('action.forward') },
            { value: false, label: t('action.return') },
          ]}
        />
      </Form.Item>
      <ReasonItem required={!forward} />
      <Button type="primary" htmlType="submit" loading={step.running}>
        {forward ? t('action.forward') : t('action.return')}
      </Button>
    </Form>
  );
}

export function EscalateForm({ request, onDone }: { request: SharingRequest; onDone(): void }) {
  const { t } = useI18n();
  const step = useStep(onDone);
  return (
    <Form
      name="escalate"
      layout="vertical"
      onFinish={(values: { reason: string }) =>
        step.run(() =>
          gql(`mutation Escalate($id: ID!, $reason: String!) { escalateSharingRequest(id: $id, reason: $reason) { ${STEP_RESULT} } }`, {
            id: request.id,
            reason: values.reason,
          }),
        )
      }
    >
      <Typography.Title level={5}>{t('action.escalate')}</Typography.Title>
      <ErrorAlert error={step.error} />
      <ReasonItem required />
      <Button type="primary" htmlType="submit" loading={step.running}>
        {t('action.escalate')}
      </Button>
    </Form>
  );
}

interface ConditionValues {
  fields: string[];
  purposes: string[];
  masked: string[];
  validUntil?: Dayjs | null;
  areas?: string;
}

interface Asked {
  fields: string[];
  purposes: string[];
  masked: string[];
  validUntil: string;
  areas: string[] | null;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item) => b.includes(item));

/** The conditions to send: what the steward narrowed; validity and areas only when changed (left out, they stay as asked). */
function conditionsFrom(values: ConditionValues, asked: Asked) {
  const fields = values.fields ?? asked.fields;
  const conditions: Record<string, unknown> = {
    fields,
    purposes: values.purposes ?? asked.purposes,
    masked: [...new Set([...(values.masked ?? []), ...asked.masked])].filter((field) => fields.includes(field)),
  };
  const until = values.validUntil;
  if (until && until.format('YYYY-MM-DD') !== dayjs(asked.validUntil).format('YYYY-MM-DD'))
    conditions.validUntil = until.format('YYYY-MM-DD');
  const areas = splitAreas(values.areas);
  if (!sameList(areas, asked.areas ?? [])) conditions.areas = areas;
  return conditions;
}

function initialConditions(asked: Asked): ConditionValues {
  return {
    fields: asked.fields,
    purposes: asked.purposes,
    masked: asked.masked.filter((field) => asked.fields.includes(field)),
    validUntil: dayjs(asked.validUntil),
    areas: (asked.areas ?? []).join(', '),
  };
}

/** Area-code prefixes as typed: separated by commas, spaces or 、. */
export function splitAreas(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,，、]+/).filter(Boolean);
}

function areaRule(t: Translate) {
  return {
    validator: (_: unknown, text: string | undefined) =>
      splitAreas(text).every((area) => AREA_PREFIX.test(area)) ? Promise.resolve() : Promise.reject(new Error(t('requests.areasHelp'))),
  };
}

/** Form.Item passes its field's id, value and onChange through. */
function AreasInput(props: InputProps) {
  const { t } = useI18n();
  return <Input {...props} placeholder={t('requests.areasPlaceholder')} allowClear />;
}

/** Approval terms, each pre-set as asked: fewer fields or purposes, more fields masked, an earlier end, smaller areas. */
function ConditionItems({ asked, catalog }: { asked: Asked; catalog: CatalogEntry[] | undefined }) {
  const { t, label } = useI18n();
  const maskerOf = (field: string) => catalog?.find((entry) => entry.coordinate === field)?.masker;
  const maskable = asked.fields.filter((field) => !catalog || maskerOf(field));
  return (
    <>
      <Divider plain>{t('action.conditions')}</Divider>
      <Form.Item name="fields" label={t('requests.fields')} rules={[{ required: true, type: 'array', min: 1 }]}>
        <Checkbox.Group options={asked.fields.map((field) => ({ value: field, label: field }))} />
      </Form.Item>
      <Form.Item name="purposes" label={t('requests.purposes')} rules={[{ required: true, type: 'array', min: 1 }]}>
        <Checkbox.Group options={asked.purposes.map((purpose) => ({ value: purpose, label: label('purpose', purpose) }))} />
      </Form.Item>
      <Form.Item name="masked" label={t('requests.masked')}>
        <Checkbox.Group
          options={maskable.map((field) => ({
            value: field,
            label: maskerOf(field) ? `${field} (${maskerOf(field)})` : field,
            disabled: asked.masked.includes(field),
          }))}
        />
      </Form.Item>
      <Form.Item name="validUntil" label={t('requests.validUntil')}>
        <DatePicker
          allowClear={false}
          disabledDate={(day) => day.isBefore(dayjs(), 'day') || day.isAfter(dayjs(asked.validUntil), 'day')}
        />
      </Form.Item>
      <Form.Item name="areas" label={t('requests.areas')} extra={t('requests.areasHelp')} rules={[areaRule(t)]}>
        <AreasInput />
      </Form.Item>
    </>
  );
}

export function AnswerForm({ request, onDone }: { request: SharingRequest; onDone(): void }) {
  const { t } = useI18n();
  const session = useSession();
  const part = request.parts.find((candidate) => candidate.provider === session.department)!;
  const asked: Asked = { ...request, fields: part.fields };
  const [form] = Form.useForm<ConditionValues & { approve: boolean; reason?: string }>();
  const approve = Form.useWatch('approve', form) ?? true;
  const catalog = useLoad(sharingCatalog, []);
  const step = useStep(onDone);
  return (
    <Form
      form={form}
      name="answer"
      layout="vertical"
      initialValues={{ approve: true, ...initialConditions(asked) }}
      onFinish={(values) =>
        step.run(() =>
          gql(
            `mutation Answer($id: ID!, $approve: Boolean!, $reason: String, $conditions: SharingConditions) {
              answerSharingRequest(id: $id, approve: $approve, reason: $reason, conditions: $conditions) { ${STEP_RESULT} } }`,
            {
              id: request.id,
              approve: values.approve,
              reason: values.reason || null,
              conditions: values.approve ? conditionsFrom(values, asked) : null,
            },
          ),
        )
      }
    >
      <Typography.Title level={5}>{t('action.answer')}</Typography.Title>
      <ErrorAlert error={step.error} />
      <Form.Item name="approve">
        <Radio.Group
          options={[
            { value: true, label: t('action.approve') },
            { value: false, label: t('action.refuse') },
          ]}
        />
      </Form.Item>
      {approve && <ConditionItems asked={asked} catalog={catalog.data} />}
      <ReasonItem required={!approve} />
      <Button type="primary" htmlType="submit" loading={step.running} danger={!approve}>
        {approve ? t('action.approve') : t('action.refuse')}
      </Button>
    </Form>
  );
}

export function CoordinateForm({ request, onDone }: { request: SharingRequest; onDone(): void }) {
  const { t } = useI18n();
  const refused = request.parts.filter((part) => part.status === 'REFUSED').flatMap((part) => part.fields);
  const asked: Asked = { ...request, fields: refused };
  const [form] = Form.useForm<ConditionValues & { approve: boolean; reason: string }>();
  const approve = Form.useWatch('approve', form) ?? false;
  const catalog = useLoad(sharingCatalog, []);
  const step = useStep(onDone);
  return (
    <Form
      form={form}
      name="coordinate"
      layout="vertical"
      initialValues={{ approve: false, ...initialConditions(asked) }}
      onFinish={(values) =>
        step.run(() =>
          gql(
            `mutation Coordinate($id: ID!, $approve: Boolean!, $reason: String!, $conditions: SharingConditions) {
              coordinateSharingRequest(id: $id, approve: $approve, reason: $reason, conditions: $conditions) { ${STEP_RESULT} } }`,
            {
              id: request.id,
              approve: values.approve,
              reason: values.reason,
              conditions: values.approve ? conditionsFrom(values, asked) : null,
            },
          ),
        )
      }
    >
      <Typography.Title level={5}>{t('action.coordinate')}</Typography.Title>
      <ErrorAlert error={step.error} />
      <Form.Item name="approve">
        <Radio.Group
          options={[
            { value: true, label: t('action.coordinateApprove') },
            { value: false, label: t('action.coordinateClose') },
          ]}
        />
      </Form.Item>
      {approve && <ConditionItems asked={asked} catalog={catalog.data} />}
      <ReasonItem required />
      <Button type="primary" htmlType="submit" loading={step.running}>
        {t('action.coordinate')}
      </Button>
    </Form>
  );
}

interface NewRequestValues {
  fields: string[];
  purposes: string[];
  scenario: string;
  basis: string;
  validUntil: Dayjs;
  masked?: string[];
  areas?: string;
}

/** Filing a request: CONDITIONAL catalogue fields of other departments (each provided by its first owner), purposes, scenario, basis, validity, masking, areas. */
export function NewRequest({ open, onClose, onFiled }: { open: boolean; onClose(): void; onFiled(id: string): void }) {
  const { t, label } = useI18n();
  const { message } = App.useApp();
  const session = useSession();
  const [form] = Form.useForm<NewRequestValues>();
  const chosen = Form.useWatch('fields', form) ?? [];
  const catalog = useLoad(sharingCatalog, []);
  const [error, setError] = useState<unknown>();
  const [running, setRunning] = useState(false);
  const requestable = (catalog.data ?? []).filter(
    (entry) => entry.sharing === 'CONDITIONAL' && !entry.roles && !entry.owners.includes(session.department),
  );
  const providers = [...new Set(requestable.map((entry) => entry.owners[0]!))];
  const maskable = requestable.filter((entry) => chosen.includes(entry.coordinate) && entry.masker);

  const submit = async (values: NewRequestValues) => {
    setRunning(true);
    setError(undefined);
    try {
      const { requestSharing } = await gql<{ requestSharing: { id: string } }>(
        'mutation File($input: SharingRequestInput!) { requestSharing(input: $input) { id status } }',
        {
          input: {
            fields: values.fields,
            purposes: values.purposes,
            scenario: values.scenario,
            basis: values.basis,
            validUntil: values.validUntil.format('YYYY-MM-DD'),
            masked: (values.masked ?? []).filter((field) => values.fields.includes(field)),
            ...(splitAreas(values.areas).length > 0 ? { areas: splitAreas(values.areas) } : {}),
          },
        },
      );
      message.success(t('requests.filed', { id: requestSharing.id }));
      form.resetFields();
      onFiled(requestSharing.id);
    } catch (failure) {
      setError(failure);
    } finally {
      setRunning(false);
    }
  };

  return (
    <Modal open={open} title={t('requests.new')} onCancel={onClose} width={720} footer={null} forceRender>
      <ErrorAlert error={error ?? catalog.error} />
      <Form form={form} name="new-request" layout="vertical" onFinish={submit}>
        <Form.Item
          name="fields"
          label={t('requests.fields')}
          extra={t('requests.fieldsHelp')}
          rules={[{ required: true, type: 'array', min: 1 }]}
        >
          <Select
            mode="multiple"
            loading={catalog.loading}
            showSearch={{ optionFilterProp: 'value' }}
            options={providers.map((provider) => ({
              label: label('dept', provider),
              options: requestable
                .filter((entry) => entry.owners[0] === provider)
                .map((entry) => ({ value: entry.coordinate, label: entry.coordinate })),
            }))}
          />
        </Form.Item>
        <Form.Item name="purposes" label={t('requests.purposes')} rules={[{ required: true, type: 'array', min: 1 }]}>
          <Checkbox.Group options={PURPOSES.map((purpose) => ({ value: purpose, label: label('purpose', purpose) }))} />
        </Form.Item>
        <Form.Item name="scenario" label={t('requests.scenario')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={2} maxLength={MAX_TEXT} showCount />
        </Form.Item>
        <Form.Item name="basis" label={t('requests.basis')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={2} maxLength={MAX_TEXT} showCount />
        </Form.Item>
        <Space size="large" align="start" wrap>
          <Form.Item name="validUntil" label={t('requests.validUntil')} rules={[{ required: true }]}>
            <DatePicker disabledDate={(day) => !day.isAfter(dayjs(), 'day') || day.isAfter(dayjs().add(3, 'year'), 'day')} />
          </Form.Item>
          <Form.Item name="masked" label={t('requests.masked')} extra={t('requests.maskedHelp')}>
            <Checkbox.Group
              options={maskable.map((entry) => ({ value: entry.coordinate, label: `${entry.coordinate} (${entry.masker})` }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="areas" label={t('requests.areas')} extra={t('requests.areasHelp')} rules={[areaRule(t)]}>
          <AreasInput />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={running}>
            {t('common.submit')}
          </Button>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}
