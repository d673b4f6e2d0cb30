import { SimpleGrid, Card, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useObjects } from '../api/hooks';
import { ErrorNote } from '../layout/ErrorNote';
import { useTranslation } from 'react-i18next';

export function Home() {
  const { t } = useTranslation(['shell', 'common']);
  const objects = useObjects();
  if (objects.error) return <ErrorNote error={objects.error} />;
  return (
    <>
      <Title order={2} mb="md">
        {t('welcome')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
        {objects.data?.map((o) => (
          <Card
            key={o.name}
            withBorder
            renderRoot={(props) => <Link to="/o/$object" params={{ object: o.name }} {...props} />}
          >
            <Text fw={600}>{o.label_plural}</Text>
            <Text size="sm" c="dimmed">
              {t('fields', { count: o.fields.filter((f) => !f.is_system).length })}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </>
  );
}
