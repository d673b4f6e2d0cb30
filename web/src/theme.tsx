import { createTheme, MantineProvider, type CSSVariablesResolver } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Mantine's defaults where they fall short of WCAG AA: the primary blue's 6th shade (#228be6)
 * gives white text and blue links 3.5:1, so the light scheme uses the 8th (5:1); dimmed text
 * (gray 6, 3.3:1) uses gray 7 (8:1). Icon-only buttons Mantine draws itself get a name.
 */
const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});

export function KontorMantineProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const theme = useMemo(
    () =>
      createTheme({
        primaryShade: { light: 8, dark: 8 },
        components: {
          Modal: { defaultProps: { closeButtonProps: { 'aria-label': t('close') } } },
          FileInput: { defaultProps: { clearButtonProps: { 'aria-label': t('remove') } } },
        },
      }),
    [t],
  );
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      {children}
    </MantineProvider>
  );
}
