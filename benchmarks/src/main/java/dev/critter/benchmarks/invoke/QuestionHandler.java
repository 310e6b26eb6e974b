package dev.critter.benchmarks.invoke;

/** Answers at once; the answer is the only allocation of the handler itself. */
public class QuestionHandler {

    /**
     * @param question the request
     * @return its answer
     */
    public Answer handle(Question question) {
        return new Answer(question.value());
    }
}
