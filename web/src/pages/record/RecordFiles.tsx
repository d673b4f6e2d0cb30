import {
  Anchor,
  Button,
  Card,
  FileButton,
  Group,
  Image,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, csrfHeaders, type ApiRecord, type ObjectMeta } from '../../api/client';
import { ErrorNote } from '../../layout/ErrorNote';

interface StoredFile {
  id: string;
  name: string;
  mime: string;
  size: number;
  created_at: string;
}

/** Browsers show these inline; HEIC photos are offered as downloads. */
const SHOWN = new Set(['image/jpeg', 'image/png', 'image/webp']);

/**
 * A record's files (photos sent back through a form link, attachments), with thumbnails of
 * images and a button to attach more.
 */
export function RecordFiles({
  object,
  record,
  readOnly,
}: {
  object: ObjectMeta;
  record: ApiRecord;
  readOnly: boolean;
}) {
  const { t } = useTranslation('forms');
  const queryClient = useQueryClient();
  const key = ['files', object.name, record.id];
  const files = useQuery({
    queryKey: key,
    queryFn: async () =>
      (await api<{ data: StoredFile[] }>('GET', `/api/v1/${object.name}/${record.id}/files`)).data,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const upload = async (chosen: File[]) => {
    if (chosen.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      const body = new FormData();
      for (const f of chosen) body.append('file', f, f.name);
      const res = await fetch(`/api/v1/${object.name}/${record.id}/files`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: csrfHeaders(),
        body,
      });
      if (!res.ok) {
        const data = (await res.json()) as { detail?: string; errors?: [] };
        throw new ApiError(res.status, data.detail ?? res.statusText, data.errors ?? [], data);
      }
      await queryClient.invalidateQueries({ queryKey: key });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (files.error) return <ErrorNote error={files.error} />;
  // Limitation: a record without files shows no card, so the first file is attached through the
  // API or a form link (a card on every record page would crowd pages most records never need).
  if (!files.data || files.data.length === 0) return null;
  return (
    <Card withBorder padding="md" component="section" aria-label={t('files')}>
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t('files')}</Title>
        {!readOnly && (
          <FileButton
            onChange={(f) => void upload(f)}
            multiple
            accept="image/jpeg,image/png,image/webp,image/heic,.heic,application/pdf"
          >
            {(props) => (
              <Button size="xs" variant="light" loading={busy} {...props}>
                {t('attach')}
              </Button>
            )}
          </FileButton>
        )}
      </Group>
      <Stack gap="xs">
        {error !== null && <ErrorNote error={error} />}
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }}>
          {files.data.map((f) => {
            const href = `/api/v1/files/${f.id}/content`;
            return (
              <Stack key={f.id} gap={4}>
                {SHOWN.has(f.mime) && (
                  <a href={href} target="_blank" rel="noreferrer">
                    <Image src={href} alt={f.name} h={96} fit="cover" radius="sm" />
                  </a>
                )}
                <Anchor href={href} target="_blank" rel="noreferrer" size="sm" lineClamp={1}>
                  {f.name}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {Math.max(1, Math.round(f.size / 1024))} KB
                </Text>
              </Stack>
            );
          })}
        </SimpleGrid>
      </Stack>
    </Card>
  );
}
