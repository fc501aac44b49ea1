import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The app calls /graphql on its own origin; Vite forwards it to the Clientele server,
// so the server needs no CORS.
const target = process.env.CLIENTELE_URL ?? "http://127.0.0.1:8000";
const proxy = { "/graphql": { target, changeOrigin: true } };

export default defineConfig({
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
});
