export const STAMP: string;
export function newestSource(root: string): number;
export function pickEntry(root: string, entry: string): { file: string; tsx: boolean };
