// `@agentkit/intake/tokens`: the embedded intake's token and API key without the intake itself,
// for what names it (an ordering edge, a lookup) in a process that may not embed it: the
// default agent imports the package only when it embeds the intake (no api_key, no dd_url).
export { LOCAL_INTAKE, LOCAL_INTAKE_API_KEY } from './local-intake/local-intake.def.js';
export type { LocalIntake } from './local-intake/local-intake.def.js';
