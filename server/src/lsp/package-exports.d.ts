// Types of the vscode-languageserver packages by subpath for this repository's `moduleResolution: node`, which does not read package.json "exports" (esbuild and vitest do, at run time).
//
// vscode-languageserver 11, vscode-languageserver-protocol 3.18 and vscode-jsonrpc 10 publish
// their entry points only through "exports"; each declaration below names the file that
// "exports" maps the subpath to, so the types are the packages' own.

declare module 'vscode-languageserver' {
  export * from 'vscode-languageserver/lib/common/api';
}
declare module 'vscode-languageserver/node' {
  export * from 'vscode-languageserver/lib/node/main';
}
declare module 'vscode-languageserver-protocol' {
  export * from 'vscode-languageserver-protocol/lib/common/api';
}
declare module 'vscode-languageserver-protocol/node' {
  export * from 'vscode-languageserver-protocol/lib/node/main';
}
declare module 'vscode-jsonrpc' {
  export * from 'vscode-jsonrpc/lib/common/api';
}
declare module 'vscode-jsonrpc/node' {
  export * from 'vscode-jsonrpc/lib/node/main';
}
