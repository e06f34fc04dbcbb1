import { ConfigProvider, Layout, Typography } from 'antd';
import zhCN from 'antd/locale/zh_CN';

/** The stewards' console: a placeholder until its pages are built. */
export function App() {
  return (
    <ConfigProvider locale={zhCN}>
      <Layout style={{ minHeight: '100vh', padding: 24 }}>
        <Typography.Title level={3}>数据共享控制台</Typography.Title>
      </Layout>
    </ConfigProvider>
  );
}
