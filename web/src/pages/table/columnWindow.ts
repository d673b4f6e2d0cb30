import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** Columns drawn beyond each side of those in sight, so a short sideways scroll shows no gap. */
const OVERSCAN = 2;

/**
 * Which columns are in sight of a table that scrolls sideways, read from its header row (which
 * draws every column). Rows draw only these cells, each in its own grid track, so a table of
 * many columns costs no more to scroll than one of a few.
 */
export function useColumnWindow(
  box: RefObject<HTMLDivElement | null>,
  header: RefObject<HTMLDivElement | null>,
  count: number,
  layoutKey: string,
): [number, number] {
  const [range, setRange] = useState<[number, number]>([0, Math.min(count, 12) - 1]);
  const measure = useCallback(() => {
    const b = box.current;
    const h = header.current;
    if (!b || !h) return;
    const origin = b.getBoundingClientRect().left;
    const cells = [...h.children].slice(1) as HTMLElement[];
    let first = -1;
    let last = -1;
    cells.forEach((el, i) => {
      const r = el.getBoundingClientRect();
      if (r.right >= origin && r.left <= origin + b.clientWidth) {
        if (first < 0) first = i;
        last = i;
      }
    });
    if (first < 0) {
      first = 0;
      last = count - 1;
    }
    const next: [number, number] = [
      Math.max(0, first - OVERSCAN),
      Math.min(count - 1, last + OVERSCAN),
    ];
    setRange((cur) => (cur[0] === next[0] && cur[1] === next[1] ? cur : next));
  }, [box, header, count]);
  const frame = useRef(0);
  useLayoutEffect(measure, [measure, layoutKey]);
  useEffect(() => {
    const b = box.current;
    if (!b) return;
    const onScroll = () => {
      cancelAnimationFrame(frame.current);
      frame.current = requestAnimationFrame(measure);
    };
    b.addEventListener('scroll', onScroll, { passive: true });
    const observer = new ResizeObserver(onScroll);
    observer.observe(b);
    return () => {
      b.removeEventListener('scroll', onScroll);
      observer.disconnect();
      cancelAnimationFrame(frame.current);
    };
  }, [box, measure]);
  return range;
}
