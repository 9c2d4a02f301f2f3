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
  },
  zh: {
    guides: '引导场景',
    guidesShort: '引导',
    guidesTitle: '打开一个引导场景：每一步都会暂停并给出说明',
    guideOf: '第 {n} 步，共 {total} 步',
    guideNext: '继续 ▶',
    guideDone: '这个故事结束了。可以把时间轴拖回去再看一遍，或者换一种方式破坏它。',
    guideClose: '退出引导',
  },
} as const;
