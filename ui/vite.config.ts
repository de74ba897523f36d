import { defineConfig } from "vitest/config";

// The UI is embedded into the Tauri binary from ui/dist (see
// src-tauri/tauri.conf.json: build.frontendDist). No dev server is used by the app.
export default defineConfig({
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // One small bundle; no inline assets (the CSP allows only 'self' for scripts/styles).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
});
