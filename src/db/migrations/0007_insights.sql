CREATE TABLE "conversation_facts" (
	"workspace_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"priority" text NOT NULL,
	"channel" text NOT NULL,
	"team_id" uuid,
	"agent_id" uuid,
	"area_id" uuid,
	"reason" text,
	"policy_id" uuid,
	"first_response_seconds" integer,
	"first_response_breached" boolean,
	"resolution_seconds" integer,
	"resolution_breached" boolean,
	"resolved_at" timestamp with time zone,
	"first_contact_resolution" boolean DEFAULT false NOT NULL,
	"is_repeat" boolean DEFAULT false NOT NULL,
	"repeats_caused" integer DEFAULT 0 NOT NULL,
	"sentiment" real,
	"sentiment_trend" text,
	"waiting_since" timestamp with time zone,
	"first_response_due_at" timestamp with time zone,
	"next_response_due_at" timestamp with time zone,
	"resolution_due_at" timestamp with time zone,
	"next_due_at" timestamp with time zone,
	"refreshed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "conversation_facts_workspace_id_conversation_id_pk" PRIMARY KEY("workspace_id","conversation_id")
);
--> statement-breakpoint
CREATE TABLE "insights_hourly" (
	"workspace_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"team_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"area_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"contacts" integer NOT NULL,
	"responded" integer NOT NULL,
	"responded_in_sla" integer NOT NULL,
	"resolved" integer NOT NULL,
	"resolved_in_sla" integer NOT NULL,
	"sla_timed" integer NOT NULL,
	"sla_met" integer NOT NULL,
	"first_contact_resolved" integer NOT NULL,
	"repeats" integer NOT NULL,
	"repeats_caused" integer NOT NULL,
	"sentiment_sum" real NOT NULL,
	"sentiment_count" integer NOT NULL,
	"worsening" integer NOT NULL,
	CONSTRAINT "insights_hourly_workspace_id_hour_channel_team_id_agent_id_area_id_reason_pk" PRIMARY KEY("workspace_id","hour","channel","team_id","agent_id","area_id","reason")
);
--> statement-breakpoint
CREATE TABLE "insights_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"leaderboard_enabled" boolean DEFAULT true NOT NULL,
	"team_goals" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_breaches" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"policy_id" uuid,
	"team_id" uuid,
	"agent_id" uuid,
	"channel" text NOT NULL,
	"escalated_to" uuid,
	"credit_cents" integer NOT NULL,
	"revenue_at_risk_cents" integer NOT NULL,
	CONSTRAINT "sla_breaches_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"workspace_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"priority" text,
	"channel" text,
	"first_response_seconds" integer,
	"next_response_seconds" integer,
	"resolution_seconds" integer,
	"credit_cents" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sla_policies_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "team_calendars" (
	"workspace_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"timezone" text NOT NULL,
	"hours" jsonb NOT NULL,
	"holidays" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "team_calendars_workspace_id_team_id_pk" PRIMARY KEY("workspace_id","team_id")
);
--> statement-breakpoint
CREATE INDEX "conversation_facts_created_idx" ON "conversation_facts" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE INDEX "conversation_facts_customer_idx" ON "conversation_facts" USING btree ("workspace_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "conversation_facts_waiting_idx" ON "conversation_facts" USING btree ("workspace_id","waiting_since") WHERE waiting_since is not null;--> statement-breakpoint
CREATE INDEX "conversation_facts_due_idx" ON "conversation_facts" USING btree ("next_due_at") WHERE next_due_at is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "sla_breaches_uq" ON "sla_breaches" USING btree ("workspace_id","conversation_id","kind","due_at");--> statement-breakpoint
CREATE INDEX "sla_breaches_time_idx" ON "sla_breaches" USING btree ("workspace_id","recorded_at");