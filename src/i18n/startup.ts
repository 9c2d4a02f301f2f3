/**
 * What the page says when it cannot start. These strings are in the catalogue like every other,
 * and are also written into index.html at build time (vite.config.ts), because the script that
 * shows them (public/startup-guard.js) must work when the app's own modules failed to load.
 */
export const startupMessages = {
  en: {
    'startup.title': 'zab-viz could not start',
    'startup.what': 'The page failed while loading, so nothing could be drawn. The browser reported:',
    'startup.todo': 'What to do: reload the page. If it still fails and you started it with npm run dev, stop the server, delete the folder node_modules/.vite and run npm run dev again. If that does not help, report the message above.',
    'startup.reload': 'Reload',
    'crash.title': 'Something went wrong while drawing the page',
    'crash.todo': 'Reload the page to start again; a shared link (Share) keeps the run. If it happens again, report the message above.',
  },
  zh: {
    'startup.title': 'zab-viz 无法启动',
    'startup.what': '页面在加载时出错，因此无法绘制。浏览器报告：',
    'startup.todo': '怎么办：重新加载页面。如果仍然失败，并且是用“npm run dev”启动的，请停止服务器，删除“node_modules/.vite”文件夹，再运行“npm run dev”。如果还不行，请报告上面的信息。',
    'startup.reload': '重新加载',
    'crash.title': '绘制页面时出错',
    'crash.todo': '重新加载页面即可重新开始；分享链接（分享）会保留这次运行。如果再次发生，请报告上面的信息。',
  },
} as const;
