// On-host files are imported as text: tsup's "text" loader in the build, a
// small transform plugin under vitest (see the root vitest.config.ts).
declare module "*.sh" {
  const text: string;
  export default text;
}
declare module "*.service" {
  const text: string;
  export default text;
}
declare module "*.timer" {
  const text: string;
  export default text;
}
declare module "*.Dockerfile" {
  const text: string;
  export default text;
}
declare module "*.gitignore" {
  const text: string;
  export default text;
}
