import type { Topic } from './texts.ts';

const thanks = [
  'Ah, that makes sense now. Thanks for explaining!', 'OK, clear. Thank you.', '[Great|Perfect], thanks for the quick help.',
  'Thanks, that answers my question.', 'Understood. Thanks {agent}!',
];
const closing = [
  "You're welcome! I'll close this conversation; just reply here if anything else comes up.",
  'Glad I could help. Have a [nice|lovely|great] [day|evening]!',
  "My pleasure. If you have more questions about your bill, the portal explains every line. Take care!",
];

export const billingTopics: Record<string, Topic> = {
  'billing.higher': {
    key: 'billing.higher', team: 'Billing', skill: 'billing', tags: ['billing', 'invoice-question'], priority: [['normal', 85], ['low', 10], ['high', 5]],
    scripts: {
      fee: {
        subject: ['Why is my bill higher this month?', 'Invoice {invoice} higher than usual', 'Extra charge on my invoice'],
        steps: [
          ['My invoice for {month} is {amount} but I normally pay {prevAmount}. Why is it higher?', 'Why is my bill {amount} this time? [Usually|Normally] it is {prevAmount}.', 'There is an extra {lateFee} on invoice {invoice}. What is that for?'],
          ["I've looked at invoice {invoice}. The extra {lateFee} is a reminder fee: the previous invoice was paid after its due date, so a reminder was sent. The rest, {planPrice}, is your {plan} subscription.", 'The difference is a {lateFee} reminder fee for the late payment of your previous invoice. Your {plan} subscription itself is unchanged at {planPrice}.'],
          ['I paid it as soon as I saw it. Can the fee be [removed|waived]?', 'I was on holiday, that is why it was late. Can you do something about the fee?', 'Is there a way to avoid that in future?'],
          ["As this is the first time, I've credited the {lateFee} as a one-off gesture; you'll see it on your next invoice. To avoid it in future you can switch to direct debit in the portal under Billing → Payment method.", 'I can waive it this once: a credit of {lateFee} will appear on your next invoice. Direct debit makes sure payments are always on time, if you like.'],
          thanks, closing,
        ],
      },
      usage: {
        subject: ['Extra data costs on my bill?', 'Why am I paying for extra data?', 'Bill higher than expected'],
        steps: [
          ['My bill for {month} is {amount} instead of {prevAmount}. What is the extra {overAmount} for?', 'Why do I pay {overAmount} extra for data? I thought my internet was unlimited.', 'Invoice {invoice} has a line about data over the cap. What does that mean?'],
          ['Your {plan} plan includes {cap} GB per month. In {month} you used {usedGb} GB, so {overGb} GB above the cap was charged at €2.00 per GB: {overAmount}.', 'You are on {plan}, which has a {cap} GB monthly cap. Last month the connection used {usedGb} GB, that is {overGb} GB over, billed at €2.00 per GB.'],
          ['I had no idea we used that much. [Can I see|Where can I see] the usage per day?', 'That must be the kids gaming. What would an unlimited plan cost?', 'Can I get a warning before I reach the cap?'],
          ["In the portal under Usage you'll see every day of the last 90 days, so you can spot the heavy days.",
            'Fibre 100 has no cap and costs €45.00 a month. You can switch in the portal with a price preview; the change is prorated from the day you switch.',
            'Yes: under Notifications in the portal you can turn on an alert at 80% and 100% of your cap. If you regularly go over, Fibre 100 at €45.00 without a cap is usually cheaper.'],
          thanks, closing,
        ],
        linked: [3],
      },
      proration: {
        subject: ['Confusing invoice after plan change', 'Two plan lines on my invoice', 'Why is {month} invoice {amount}?'],
        steps: [
          ['I changed to {newPlan} on {changeDate} and now my invoice shows two lines. [Am I paying twice?|Why?]', 'My invoice {invoice} is {amount}. I expected {newPrice}. Can you explain?', 'Why does my bill have a proration line?'],
          ["You're not paying twice. Because you changed plans on {changeDate}, {month} is split: {plan} until the change and {newPlan} from {changeDate}, each for the days it was active. From next month you'll pay {newPrice}.", 'The two lines are the two parts of {month}: the days before {changeDate} on your old plan and the days after on {newPlan}. Together they make {amount}. Next month is a normal {newPrice}.'],
          ['OK, so next month it is just {newPrice}?', 'Got it. And the router does not need to change?'],
          ['Exactly, from next month only {newPrice}.', 'Correct. Your current router supports the new speed, nothing to do.'],
          thanks, closing,
        ],
        linked: [3],
      },
      generic: {
        subject: ['Question about my invoice', 'Invoice {invoice}', 'Amount debited'],
        steps: [
          ['Can you explain invoice {invoice}? I was charged {amount} [this month|for {month}].', 'I see {amount} taken from my account. Is that correct?', 'Hi, my bank shows a debit of {amount} from Fibrelink. What is it for?'],
          ['Invoice {invoice} is your {plan} subscription for {month}: {amount}, including 21% VAT. It was collected by direct debit on {chargeDate}.', "That's invoice {invoice} for {month}: {plan}, {amount} including VAT. Nothing unusual on it, but I'm happy to go through it with you."],
          ['OK, I thought it was more than last time.', 'Thanks. Where can I download it?'],
          ['The previous invoice was {prevAmount}, this one {amount}. Every line is explained in the portal under Billing.', 'You can find all your invoices in the portal under Billing, as PDF too; each line is explained there.'],
          thanks, closing,
        ],
        linked: [3],
      },
    },
  },
  'billing.double': {
    key: 'billing.double', team: 'Billing', skill: 'billing', tags: ['billing', 'double-charge'], priority: [['high', 60], ['normal', 40]],
    scripts: {
      main: {
        subject: ['Charged twice!', 'Double direct debit', 'Two payments taken for the same invoice'],
        steps: [
          ['You took {amount} twice from my account on {chargeDate}. Please refund one of them.', 'I [have been|was] charged twice for {month}: two debits of {amount}. What is going on?', 'My bank shows two Fibrelink collections of {amount}. [This is not OK.|Can you check?]'],
          ["I'm sorry about that. I can see the first collection of {amount} on {chargeDate} was reported as failed by your bank and we retried it, but both went through. I've started a refund of {amount}; it will be back in your account by {refundDate}.", 'Apologies for the trouble. I can confirm two collections of {amount} for invoice {invoice}. The second one was a retry that should not have happened. A refund is on its way and will arrive within 5 working days.'],
          ['OK. Will this happen again?', 'Thanks. Can I get a confirmation by email?', 'Will I be charged interest for this? My account went into the red.'],
          ["It shouldn't: we've fixed the retry on your account. Reference for this case: {ref}.", "Yes, you'll receive an email confirming the refund within the hour, reference {ref}.", "If your bank charged you for it, send us the statement and we'll reimburse that too. Reference for this case: {ref}."],
          thanks, closing,
        ],
        linked: [3],
      },
    },
  },
  'billing.direct_debit': {
    key: 'billing.direct_debit', team: 'Billing', skill: 'billing', tags: ['billing', 'direct-debit'], priority: [['normal', 90], ['low', 10]],
    scripts: {
      portal: {
        subject: ['Change bank account for direct debit', 'New IBAN', 'Update payment details'],
        steps: [
          ['I have a new bank account. How do I change the IBAN for the direct debit?', 'I want to switch from paying by iDEAL to direct debit. How?'],
          ['You can do that yourself in the portal under Billing → Payment method; it takes effect for the next invoice. Would you like me to send you a link?'],
          ['Please send the link.', 'Found it, done. Can you check it worked?'],
          ['Here it is: https://portal.fibrelink.test/billing/payment-method. The next collection, around {chargeDate}, will use the new details.', 'All set: I can see the new mandate. The next invoice will be collected from the new account.'],
          thanks, closing,
        ],
        linked: [3],
      },
      agent: {
        subject: ['New IBAN', 'Change bank account'],
        steps: [
          ['Can you collect my bill from a different account from now on? The new IBAN ends in {iban4}.', 'I have a new bank. Can you update my direct debit?'],
          ['I can change it for you. For security, please confirm the account holder name and the last four digits of the new IBAN.'],
          ['The account holder is {first} {last}, the IBAN ends in {iban4}.'],
          ['Thanks, updated: the next collection will come from the account ending in {iban4}.'],
          thanks, closing,
        ],
      },
      failed: {
        subject: ['Direct debit failed?', 'Payment reminder received', 'Why did the collection fail?'],
        steps: [
          ['I got a reminder for invoice {invoice}, but I have direct debit. Why was it not collected?', 'My bank says your direct debit was rejected. Did something change?'],
          ['The collection of {amount} on {chargeDate} was returned by your bank with reason "insufficient funds". We will try again in 3 days, or you can pay right away by iDEAL in the portal.', 'Your bank returned the collection for invoice {invoice}. That can happen when the account was briefly short; you can pay it now via the link in the reminder, no extra costs if paid within 7 days.'],
          ['Strange, there was enough money. Can you try again?', "OK I'll pay it with iDEAL now."],
          ["I've scheduled a new attempt for tomorrow. If that fails as well, please check with your bank whether the mandate for Fibrelink is still active.", "Thanks, I can see the payment came in. You're all set."],
          thanks, closing,
        ],
        linked: [3],
      },
    },
  },
  'billing.arrangement': {
    key: 'billing.arrangement', team: 'Billing', skill: 'billing', tags: ['billing', 'payment-arrangement'], priority: [['normal', 70], ['high', 30]],
    scripts: {
      main: {
        subject: ['Payment arrangement', 'Can I pay in instalments?', 'Overdue invoice'],
        steps: [
          ["I can't pay invoice {invoice} of {amount} right now. Can I pay it in parts?", 'I lost my job and am behind on my bills. Is a payment plan possible?', 'I received a second reminder. Can we agree on a payment plan?'],
          ["Thank you for letting us know, that's what we're here for. I can split the open amount into three monthly parts on top of your normal invoice, without extra fees. Shall I set that up?", "Of course. I've paused reminders for 14 days. We can spread the open amount over up to three months. Would that help?"],
          ['Yes please, three parts would help a lot.', 'That would be great, thank you.'],
          ["Done: you'll see the arrangement in the portal under Billing, and your internet stays on as long as the parts are paid. Reference {ref}.", "It's set up. The reminder fee is waived too. You'll get a confirmation by email with reference {ref}."],
          ['Thank you for being so understanding.', 'Really appreciate it, thanks.'], closing,
        ],
      },
    },
  },
};
