import { Notification } from 'electron';
import { NoticeThrottle, type Notice, type NoticeTarget } from './notify-policy';

export interface NotifierOptions {
  icon?: string | undefined;
  /** While the window has focus the user sees the change live; no banner then. */
  windowFocused(): boolean;
  /** A click on a notification: bring the window up on that page. */
  onClick(target: NoticeTarget): void;
}

export interface Notifier {
  offer(notice: Notice): void;
  dispose(): void;
}

/**
 * Native notifications for a failed delivery attempt, a disabled endpoint and a rejected
 * signature; rate-limited by NoticeThrottle (one per kind per 30 s, then a summary).
 */
export function createNotifier(options: NotifierOptions): Notifier {
  // Held until closed: a Notification collected early loses its click handler.
  const shown = new Set<Notification>();
  const throttle = new NoticeThrottle({
    show(notice) {
      if (options.windowFocused()) return;
      const n = new Notification({ title: notice.title, body: notice.body, silent: false, ...(options.icon ? { icon: options.icon } : {}) });
      const forget = () => shown.delete(n);
      n.on('click', () => {
        forget();
        options.onClick(notice.target);
      });
      n.on('close', forget);
      n.on('failed', forget);
      shown.add(n);
      if (shown.size > 20) {
        const oldest = shown.values().next().value;
        if (oldest) {
          shown.delete(oldest);
          oldest.close();
        }
      }
      n.show();
    },
  });
  const supported = Notification.isSupported();
  return {
    offer(notice) {
      if (!supported || options.windowFocused()) return;
      throttle.offer(notice);
    },
    dispose() {
      throttle.dispose();
      for (const n of shown) n.close();
      shown.clear();
    },
  };
}
