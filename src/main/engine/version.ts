declare const __HOOKBENCH_VERSION__: string | undefined;

export const VERSION: string = typeof __HOOKBENCH_VERSION__ === 'string' ? __HOOKBENCH_VERSION__ : '0.1.0';
