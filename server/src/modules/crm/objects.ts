import type { FieldDef, ObjectDef } from '../../core/metadata/types';

const address: FieldDef[] = [
  { name: 'street', label: 'Street', type: 'text', searchable: true },
  { name: 'city', label: 'City', type: 'text', indexed: true, searchable: true },
  { name: 'region', label: 'Region', type: 'text', indexed: true },
  { name: 'postal_code', label: 'Postal code', type: 'text', searchable: true },
  { name: 'country', label: 'Country', type: 'text', indexed: true, searchable: true },
];

export const companies: ObjectDef = {
  name: 'companies',
  labelSingular: 'Company',
  labelPlural: 'Companies',
  module: 'crm',
  titleField: 'name',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, indexed: true, searchable: true },
    { name: 'domain', label: 'Domain', type: 'text', indexed: true, searchable: true, maxLength: 253 },
    { name: 'website', label: 'Website', type: 'url' },
    { name: 'email', label: 'E-mail', type: 'email', searchable: true },
    { name: 'phone', label: 'Phone', type: 'phone', searchable: true },
    { name: 'fax', label: 'Fax', type: 'phone' },
    ...address,
    { name: 'industry', label: 'Industry', type: 'text', indexed: true },
    { name: 'is_supplier', label: 'Supplier', type: 'boolean', indexed: true },
    { name: 'is_customer', label: 'Customer', type: 'boolean', indexed: true },
    { name: 'external_ref', label: 'External reference', type: 'text', indexed: true, searchable: true },
    { name: 'description', label: 'Description', type: 'long_text' },
    {
      name: 'contacts_count',
      label: 'Contacts',
      type: 'computed',
      resultType: 'integer',
      rollup: { aggregate: 'count', object: 'contacts', via: 'company_id' },
    },
    {
      name: 'won_deals_count',
      label: 'Won deals',
      type: 'computed',
      resultType: 'integer',
      rollup: { aggregate: 'count', object: 'deals', via: 'company_id', where: { status: 'won' } },
    },
    {
      name: 'won_deals_amount',
      label: 'Won amount',
      type: 'computed',
      resultType: 'currency',
      rollup: { aggregate: 'sum', object: 'deals', via: 'company_id', field: 'amount', where: { status: 'won' } },
    },
  ],
};

export const contacts: ObjectDef = {
  name: 'contacts',
  labelSingular: 'Contact',
  labelPlural: 'Contacts',
  module: 'crm',
  titleField: 'full_name',
  fields: [
    { name: 'salutation', label: 'Salutation', type: 'text', maxLength: 40 },
    { name: 'first_name', label: 'First name', type: 'text', searchable: true },
    { name: 'last_name', label: 'Last name', type: 'text', indexed: true, searchable: true },
    { name: 'full_name', label: 'Name', type: 'text', readOnly: true, indexed: true },
    { name: 'email', label: 'E-mail', type: 'email', searchable: true },
    { name: 'phone', label: 'Phone', type: 'phone', searchable: true },
    { name: 'mobile', label: 'Mobile', type: 'phone', searchable: true },
    { name: 'job_title', label: 'Job title', type: 'text', searchable: true },
    {
      name: 'company_id',
      label: 'Company',
      type: 'relation',
      target: 'companies',
      reverseName: 'contacts',
      reverseLabel: 'Contacts',
    },
    ...address,
    { name: 'birthday', label: 'Birthday', type: 'date' },
    { name: 'external_ref', label: 'External reference', type: 'text', indexed: true },
    { name: 'description', label: 'Notes', type: 'long_text' },
  ],
};

export const leads: ObjectDef = {
  name: 'leads',
  labelSingular: 'Lead',
  labelPlural: 'Leads',
  module: 'crm',
  titleField: 'full_name',
  fields: [
    { name: 'first_name', label: 'First name', type: 'text', searchable: true },
    { name: 'last_name', label: 'Last name', type: 'text', searchable: true },
    { name: 'full_name', label: 'Name', type: 'text', readOnly: true, indexed: true },
    { name: 'company_name', label: 'Company', type: 'text', searchable: true, indexed: true },
    { name: 'domain', label: 'Domain', type: 'text', maxLength: 253 },
    { name: 'email', label: 'E-mail', type: 'email', searchable: true },
    { name: 'phone', label: 'Phone', type: 'phone', searchable: true },
    { name: 'job_title', label: 'Job title', type: 'text' },
    { name: 'city', label: 'City', type: 'text' },
    { name: 'country', label: 'Country', type: 'text', indexed: true },
    {
      name: 'source',
      label: 'Source',
      type: 'select',
      options: [
        { value: 'website', label: 'Website' },
        { value: 'referral', label: 'Referral' },
        { value: 'cold_call', label: 'Cold call' },
        { value: 'email', label: 'E-mail' },
        { value: 'event', label: 'Event' },
        { value: 'advertising', label: 'Advertising' },
        { value: 'other', label: 'Other' },
      ],
    },
    {
      name: 'status',
      label: 'Status',
      type: 'select',
      options: [
        { value: 'new', label: 'New' },
        { value: 'contacted', label: 'Contacted' },
        { value: 'qualified', label: 'Qualified' },
        { value: 'unqualified', label: 'Unqualified' },
        { value: 'converted', label: 'Converted' },
      ],
    },
    { name: 'description', label: 'Notes', type: 'long_text', searchable: true },
    { name: 'converted_at', label: 'Converted', type: 'datetime', readOnly: true },
    { name: 'converted_contact_id', label: 'Converted to contact', type: 'relation', target: 'contacts', readOnly: true },
    { name: 'converted_company_id', label: 'Converted to company', type: 'relation', target: 'companies', readOnly: true },
    { name: 'converted_deal_id', label: 'Converted to deal', type: 'relation', target: 'deals', readOnly: true },
  ],
};

export const pipelines: ObjectDef = {
  name: 'pipelines',
  labelSingular: 'Pipeline',
  labelPlural: 'Pipelines',
  module: 'crm',
  titleField: 'name',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, searchable: true },
    { name: 'is_default', label: 'Default', type: 'boolean' },
    { name: 'position', label: 'Position', type: 'integer' },
  ],
};

export const stages: ObjectDef = {
  name: 'stages',
  labelSingular: 'Stage',
  labelPlural: 'Stages',
  module: 'crm',
  titleField: 'name',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, searchable: true },
    {
      name: 'pipeline_id',
      label: 'Pipeline',
      type: 'relation',
      target: 'pipelines',
      required: true,
      reverseName: 'stages',
      reverseLabel: 'Stages',
      onDelete: 'restrict',
    },
    { name: 'position', label: 'Position', type: 'integer', required: true },
    { name: 'probability', label: 'Probability (%)', type: 'integer' },
    {
      name: 'kind',
      label: 'Kind',
      type: 'select',
      required: true,
      options: [
        { value: 'open', label: 'Open' },
        { value: 'won', label: 'Won' },
        { value: 'lost', label: 'Lost' },
      ],
    },
  ],
};

export const deals: ObjectDef = {
  name: 'deals',
  labelSingular: 'Deal',
  labelPlural: 'Deals',
  module: 'crm',
  titleField: 'name',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, indexed: true, searchable: true },
    { name: 'amount', label: 'Amount', type: 'currency', indexed: true },
    {
      name: 'pipeline_id',
      label: 'Pipeline',
      type: 'relation',
      target: 'pipelines',
      reverseName: 'deals',
      reverseLabel: 'Deals',
      onDelete: 'restrict',
    },
    {
      name: 'stage_id',
      label: 'Stage',
      type: 'relation',
      target: 'stages',
      reverseName: 'deals',
      reverseLabel: 'Deals',
      onDelete: 'restrict',
    },
    {
      name: 'status',
      label: 'Status',
      type: 'select',
      readOnly: true,
      options: [
        { value: 'open', label: 'Open' },
        { value: 'won', label: 'Won' },
        { value: 'lost', label: 'Lost' },
      ],
    },
    { name: 'company_id', label: 'Company', type: 'relation', target: 'companies', reverseName: 'deals', reverseLabel: 'Deals' },
    { name: 'contact_id', label: 'Contact', type: 'relation', target: 'contacts', reverseName: 'deals', reverseLabel: 'Deals' },
    { name: 'expected_close_date', label: 'Expected close', type: 'date', indexed: true },
    { name: 'closed_at', label: 'Closed', type: 'datetime', indexed: true },
    { name: 'lost_reason', label: 'Lost reason', type: 'text' },
    { name: 'external_ref', label: 'External reference', type: 'text', indexed: true, searchable: true },
    { name: 'description', label: 'Description', type: 'long_text' },
  ],
};

export const activities: ObjectDef = {
  name: 'activities',
  labelSingular: 'Activity',
  labelPlural: 'Activities',
  module: 'crm',
  titleField: 'subject',
  fields: [
    {
      name: 'kind',
      label: 'Kind',
      type: 'select',
      required: true,
      options: [
        { value: 'note', label: 'Note' },
        { value: 'call', label: 'Call' },
        { value: 'meeting', label: 'Meeting' },
        { value: 'email', label: 'E-mail' },
      ],
    },
    { name: 'subject', label: 'Subject', type: 'text', searchable: true },
    { name: 'body', label: 'Body', type: 'long_text', searchable: true },
    { name: 'occurred_at', label: 'When', type: 'datetime', indexed: true },
    { name: 'duration_minutes', label: 'Duration (minutes)', type: 'integer' },
    {
      name: 'direction',
      label: 'Direction',
      type: 'select',
      options: [
        { value: 'inbound', label: 'Inbound' },
        { value: 'outbound', label: 'Outbound' },
      ],
    },
    { name: 'related_object', label: 'Related object', type: 'text', indexed: true },
    { name: 'related_id', label: 'Related record', type: 'text', indexed: true },
  ],
};

export const crmObjects = [companies, contacts, leads, pipelines, stages, deals, activities];
