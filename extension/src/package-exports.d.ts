// Types of vscode-languageclient by subpath for the repository's `moduleResolution: node`, which does not read package.json "exports" (esbuild does, when it bundles).
declare module 'vscode-languageclient/node' {
  export * from 'vscode-languageclient/lib/node/main';
}
