package dev.critter.handler;

/**
 * What observers learn about a handler: who it is, never a way to call it.
 * @param id the chain id, unique and stable across restarts, e.g.
 *           {@code com.acme.OrderHandler#handle(com.acme.PlaceOrder)}
 * @param handlerClass the discovered handler class
 * @param messageClass the handled type (the first parameter's type)
 * @param messageTypeName the handled type's message type name
 * @param shortName e.g. {@code OrderHandler.handle(PlaceOrder)}, for logs
 */
public record HandlerDescriptor(String id, Class<?> handlerClass, Class<?> messageClass, String messageTypeName,
                                String shortName) {

    @Override
    public String toString() {
        return shortName;
    }
}
