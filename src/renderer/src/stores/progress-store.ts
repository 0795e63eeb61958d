import { create } from 'zustand';

export interface TaskProgress {
  done: number;
  total: number | null;
  at: number;
}

interface ProgressState {
  /** The latest `progress` push event of each long engine task, by task name. */
  tasks: Record<string, TaskProgress>;
  onProgress(task: string, done: number, total: number | null): void;
  clear(task: string): void;
}

export const useProgress = create<ProgressState>((set) => ({
  tasks: {},
  onProgress: (task, done, total) => set((s) => ({ tasks: { ...s.tasks, [task]: { done, total, at: Date.now() } } })),
  clear: (task) =>
    set((s) => {
      if (!(task in s.tasks)) return s;
      const tasks = { ...s.tasks };
      delete tasks[task];
      return { tasks };
    }),
}));
