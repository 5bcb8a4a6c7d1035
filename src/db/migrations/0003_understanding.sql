CREATE TABLE "contact_reasons" (
	"workspace_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_reasons_workspace_id_key_pk" PRIMARY KEY("workspace_id","key")
);
--> statement-breakpoint
CREATE TABLE "reason_counts" (
	"workspace_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"service_area_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "reason_counts_workspace_id_bucket_service_area_id_reason_pk" PRIMARY KEY("workspace_id","bucket","service_area_id","reason")
);
--> statement-breakpoint
CREATE TABLE "reason_examples" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"reason" text NOT NULL,
	"text" text NOT NULL,
	"source" text NOT NULL,
	"conversation_id" uuid,
	"agent_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "reason_examples_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "reason_models" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"model" "bytea" NOT NULL,
	"labels" text[] NOT NULL,
	"metrics" jsonb NOT NULL,
	"train_examples" integer NOT NULL,
	"seed_examples" integer NOT NULL,
	"agent_examples" integer NOT NULL,
	"train_ms" integer NOT NULL,
	"decision" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"promoted_at" timestamp with time zone,
	CONSTRAINT "reason_models_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "reason_confidence" real;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "reason_evidence" text[];--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "reason_source" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "reason_set_by" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "sentiment" real;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "sentiment_trend" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "customer_messages" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "channel_switches" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "reopen_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "transfer_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "repeat_of" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "labelled_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "reason_examples_conversation_uq" ON "reason_examples" USING btree ("workspace_id","conversation_id") WHERE conversation_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "reason_models_version_uq" ON "reason_models" USING btree ("workspace_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "reason_models_live_uq" ON "reason_models" USING btree ("workspace_id") WHERE status = 'live';--> statement-breakpoint
CREATE INDEX "conversations_reason_idx" ON "conversations" USING btree ("workspace_id","reason","created_at");--> statement-breakpoint
CREATE INDEX "messages_unlabelled_idx" ON "messages" USING btree ("workspace_id","created_at") WHERE labels is null and direction = 'in';