import { ConfigError } from '../../../common/env';
import { operationNameIn, readTracingSettings } from '../../../common/tracing';

describe('tracing settings from OpenTelemetry’s variables', () => {
  const read = (env: Record<string, string>) => readTracingSettings(env, 'govgraph-grid');

  it('is off without an OTLP endpoint, or with OTEL_SDK_DISABLED', () => {
    expect(read({})).toBeUndefined();
    expect(read({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on' })).toBeUndefined();
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
  });

  it('takes the traces endpoint as it is, and a base endpoint with /v1/traces after its path', () => {
    expect(read({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example.gov.cn/otlp/traces' })?.endpoint).toBe(
      'https://collector.example.gov.cn/otlp/traces',
    );
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })?.endpoint).toBe('http://collector:4318/v1/traces');
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/otel/' })?.endpoint).toBe('http://collector:4318/otel/v1/traces');
    // The signal's own variable wins.
    expect(
      read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4318/v1/traces' })
        ?.endpoint,
    ).toBe('http://traces:4318/v1/traces');
  });

  it('names the service by default after the process, or as OTEL_SERVICE_NAME says; samples parent-based, all by default', () => {
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toEqual({
      endpoint: 'http://c:4318/v1/traces',
      serviceName: 'govgraph-grid',
      sampler: 'parentbased_always_on',
      ratio: 1,
      exportDelayMs: 5000,
    });
    expect(
      read({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_SERVICE_NAME: 'grid-east',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        OTEL_BSP_SCHEDULE_DELAY: '1000',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      }),
    ).toEqual({
      endpoint: 'http://c:4318/v1/traces',
      serviceName: 'grid-east',
      sampler: 'parentbased_traceidratio',
      ratio: 0.25,
      exportDelayMs: 1000,
    });
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' }, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL'],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' },
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
    ],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER: 'sometimes' }, 'OTEL_TRACES_SAMPLER'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER_ARG: '1.5' }, 'OTEL_TRACES_SAMPLER_ARG'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER_ARG: '-0' }, 'OTEL_TRACES_SAMPLER_ARG'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_BSP_SCHEDULE_DELAY: 'soon' }, 'OTEL_BSP_SCHEDULE_DELAY'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'yes' }, 'OTEL_SDK_DISABLED'],
  ])('stops at start on a bad value, naming the variable: %j', (env, key) => {
    expect(() => read(env)).toThrow(ConfigError);
    expect(() => read(env)).toThrow(key);
  });
});

describe('operation names on spans', () => {
  it('are GraphQL names only, with runs of six digits or more masked, at most 100 characters', () => {
    expect(operationNameIn({ operationName: 'Petitioner__grid__2' })).toBe('Petitioner__grid__2');
    expect(operationNameIn({ operationName: 'Q610921199001011234__grid__0' })).toBe('Q###__grid__0');
    expect(operationNameIn({ operationName: 'Q61092119900101123X' })).toBe('Q###');
    expect(operationNameIn({ operationName: 'x'.repeat(300) })).toHaveLength(100);
    for (const body of [{ operationName: '王小明' }, { operationName: 'a b' }, { operationName: 7 }, {}, null, 'text']) {
      expect(operationNameIn(body)).toBeUndefined();
    }
  });
});
