import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// Element Plus is imported per component (and its CSS with it) by the
// resolver, so a page pulls in only the parts it uses. ECharts parts are
// registered by hand in src/lib/echarts.js.
export default defineConfig({
  plugins: [
    vue(),
    Components({
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: false,
    }),
  ],
  base: '/',
  build: {
    // the server's CSP: script-src 'self' — no inline scripts, no eval
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 800,
    sourcemap: false,
  },
  server: {
    proxy: { '/api': process.env.CHANGAI_API || 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/unit/**/*.test.js'],
    css: false,
    // a 2-core machine running the server's suites beside these: mounting
    // Element Plus in happy-dom can take seconds there, which is no failure
    testTimeout: 30000,
    hookTimeout: 30000,
    teardownTimeout: 30000,
    server: { deps: { inline: ['element-plus'] } },
  },
})
