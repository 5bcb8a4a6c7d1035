CREATE TABLE "incident_components" (
	"workspace_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"component_id" uuid NOT NULL,
	"status" text NOT NULL,
	CONSTRAINT "incident_components_workspace_id_incident_id_component_id_pk" PRIMARY KEY("workspace_id","incident_id","component_id")
);
--> statement-breakpoint
CREATE TABLE "incident_contacts" (
	"workspace_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"answer_id" uuid,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_contacts_workspace_id_incident_id_conversation_id_pk" PRIMARY KEY("workspace_id","incident_id","conversation_id")
);
--> statement-breakpoint
CREATE TABLE "incident_credits" (
	"workspace_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"subscription_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"amount_cents" integer NOT NULL,
	"currency" text NOT NULL,
	"hours_down" real NOT NULL,
	"status" text NOT NULL,
	"decided_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "incident_credits_workspace_id_incident_id_subscription_id_pk" PRIMARY KEY("workspace_id","incident_id","subscription_id")
);
--> statement-breakpoint
CREATE TABLE "incident_notices" (
	"workspace_id" uuid NOT NULL,
	"update_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"channel" text,
	"message_id" uuid,
	"state" text NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_notices_workspace_id_update_id_customer_id_pk" PRIMARY KEY("workspace_id","update_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "incident_updates" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"status" text NOT NULL,
	"body" text NOT NULL,
	"affected_components" jsonb,
	"notify" boolean DEFAULT true NOT NULL,
	"author_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"display_at" timestamp with time zone NOT NULL,
	CONSTRAINT "incident_updates_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"impact" text NOT NULL,
	"published" boolean DEFAULT true NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"monitoring_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"scheduled_for" timestamp with time zone,
	"scheduled_until" timestamp with time zone,
	"credited_cents" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "incidents_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "network_upgrades" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"service_area_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"planned_for" date,
	"done_at" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "network_upgrades_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "outage_suspicions" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"service_area_id" uuid NOT NULL,
	"status" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"incident_id" uuid,
	"detected_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"note" text,
	CONSTRAINT "outage_suspicions_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "status_components" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"service" text NOT NULL,
	"service_area_id" uuid NOT NULL,
	"group_id" uuid,
	"name" text NOT NULL,
	"description" text,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "status_components_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "status_pages" (
	"workspace_id" uuid NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "status_pages_workspace_id_pk" PRIMARY KEY("workspace_id")
);
--> statement-breakpoint
CREATE TABLE "status_statements" (
	"workspace_id" uuid NOT NULL,
	"key" text NOT NULL,
	"title" text NOT NULL,
	"body_md" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "status_statements_workspace_id_key_pk" PRIMARY KEY("workspace_id","key")
);
--> statement-breakpoint
CREATE TABLE "status_subscribers" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"token" text NOT NULL,
	"confirmed_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "status_subscribers_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "outbox_messages" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"channel" text NOT NULL,
	"to" text NOT NULL,
	"subject" text,
	"body_text" text NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source" text NOT NULL,
	"ref_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_messages_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE INDEX "incident_credits_customer_idx" ON "incident_credits" USING btree ("workspace_id","customer_id");--> statement-breakpoint
CREATE INDEX "incident_notices_incident_idx" ON "incident_notices" USING btree ("workspace_id","incident_id");--> statement-breakpoint
CREATE INDEX "incident_updates_incident_idx" ON "incident_updates" USING btree ("workspace_id","incident_id","created_at");--> statement-breakpoint
CREATE INDEX "incidents_open_idx" ON "incidents" USING btree ("workspace_id","kind","resolved_at");--> statement-breakpoint
CREATE INDEX "incidents_started_idx" ON "incidents" USING btree ("workspace_id","started_at");--> statement-breakpoint
CREATE INDEX "outage_suspicions_area_idx" ON "outage_suspicions" USING btree ("workspace_id","service_area_id","detected_at");--> statement-breakpoint
CREATE UNIQUE INDEX "outage_suspicions_open_uq" ON "outage_suspicions" USING btree ("workspace_id","service_area_id") WHERE status = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "status_components_uq" ON "status_components" USING btree ("workspace_id","service","service_area_id");--> statement-breakpoint
CREATE UNIQUE INDEX "status_subscribers_target_uq" ON "status_subscribers" USING btree ("workspace_id","kind","target");--> statement-breakpoint
CREATE UNIQUE INDEX "status_subscribers_token_uq" ON "status_subscribers" USING btree ("workspace_id","token");--> statement-breakpoint
CREATE INDEX "outbox_created_idx" ON "outbox_messages" USING btree ("workspace_id","created_at");