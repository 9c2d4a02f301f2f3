/**
 * The guided scenarios' own words around their stories: the button, the dialog, the caption's
 * frame. The stories themselves (titles and captions) are in stories.ts, loaded after the page.
 */
export const guideMessages = {
  en: {
    guides: 'Guided scenarios',
    guidesShort: 'Guides',
    guidesTitle: 'Open a guided scenario: it pauses at each step with a caption',
    guideOf: 'Step {n} of {total}',
    guideNext: 'Continue ▶',
    guideDone: 'The end of this story. Scrub the timeline back to watch it again, or break it differently.',
    guideClose: 'Leave the guide',
    guidesMuseum: 'The museum: ZooKeeper’s own bugs',
    guidesMuseumIntro: 'Real bugs, read in ZooKeeper’s code and shown on the release that has them, beside the release that fixed them where one did. Choose the release in the Cluster dialog.',
  },
  zh: {
    guides: '引导场景',
    guidesShort: '引导',
    guidesTitle: '打开一个引导场景：每一步都会暂停并给出说明',
    guideOf: '第 {n} 步，共 {total} 步',
    guideNext: '继续 ▶',
    guideDone: '这个故事结束了。可以把时间轴拖回去再看一遍，或者换一种方式破坏它。',
    guideClose: '退出引导',
    guidesMuseum: '博物馆：ZooKeeper 自己的缺陷',
    guidesMuseumIntro: '真实的缺陷，从 ZooKeeper 的代码中读出，在存在该缺陷的版本上演示；若已有修复版本，就并排展示。版本可在“集群”对话框中选择。',
  },
} as const;
