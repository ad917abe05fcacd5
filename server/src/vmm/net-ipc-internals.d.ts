// The one net-ipc 2.2.2 module the package does not type: its server-side Connection class,
// whose prototype vmm/net-ipc-fixes.ts repairs.
declare module 'net-ipc/src/connection.js' {
  const Connection: { readonly prototype: object };
  export default Connection;
}
