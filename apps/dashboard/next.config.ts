import type { NextConfig } from 'next';

// The browser talks to apps/server directly (CORS), at the SERVER_URL the page is rendered with,
// so one build serves any server address. Nothing here may reach the network at build time.
const nextConfig: NextConfig = {
  transpilePackages: ['@station/contracts'],
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;
