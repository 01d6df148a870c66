import { version } from '../../package.json';

export const HEADROOM_VERSION: string = version;
